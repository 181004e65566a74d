import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeServer, type FakeServer } from '../test-support';
import { auditPath, type AuditEntry } from './admin-api';
import { AuditPage, detailText } from './audit-page';

const entry = (id: number, actor = 'admin', action = 'login'): AuditEntry => ({
  id,
  actor,
  action,
  target: action === 'user-create' ? `user-${id}` : null,
  ip: '127.0.0.1',
  detail: action === 'user-create' ? { role: 'operator' } : {},
  at: new Date(Date.UTC(2026, 2, 1, 2, id)).toISOString(),
});

/** A log of ids 1..n, answered as the server does: filtered, newest first, keyset pages on id. */
function auditServer(log: AuditEntry[]): FakeServer {
  const server = fakeServer({
    session: { username: 'admin', role: 'admin', expiresAt: '2099-01-01T00:00:00Z' },
  });
  server.on('GET', /^\/api\/audit(\?.*)?$/, (call) => {
    const q = new URL(call.path, 'http://x').searchParams;
    const limit = Number(q.get('limit') ?? 100);
    const before = q.get('before') ? Number(q.get('before')) : Infinity;
    const rows = log
      .filter(
        (e) =>
          (!q.get('actor') || e.actor === q.get('actor')) &&
          (!q.get('action') || e.action === q.get('action')),
      )
      .filter((e) => e.id < before)
      .sort((a, b) => b.id - a.id)
      .slice(0, limit);
    return {
      status: 200,
      body: { entries: rows, nextBefore: rows.length === limit ? rows.at(-1)!.id : null },
    };
  });
  return server;
}

const show = (pageSize: number) => render(<AuditPage pageSize={pageSize} />);
const ids = () => screen.queryAllByTestId('audit-row').map((r) => Number(r.dataset.id));
const auditCalls = (server: FakeServer) =>
  server.calls.map((c) => c.path).filter((p) => p.startsWith('/api/audit'));

let server: FakeServer;
beforeEach(() => {
  server = auditServer([
    ...Array.from({ length: 5 }, (_, i) => entry(i + 1)),
    entry(6, 'admin', 'user-create'),
    entry(7, 'olga', 'login'),
  ]);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('audit page', () => {
  test('shows the newest entries first and Load more follows nextBefore until the end', async () => {
    show(3);
    expect(screen.getByRole('heading', { name: 'Audit log', level: 1 })).toBeTruthy();
    await waitFor(() => expect(ids()).toEqual([7, 6, 5]));
    const u = userEvent.setup();
    await u.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(ids()).toEqual([7, 6, 5, 4, 3, 2]));
    await u.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(ids()).toEqual([7, 6, 5, 4, 3, 2, 1]));
    // A short page was the last: no more button.
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(auditCalls(server)).toEqual([
      '/api/audit?limit=3',
      '/api/audit?limit=3&before=5',
      '/api/audit?limit=3&before=2',
    ]);
    const created = screen.getAllByTestId('audit-row').find((r) => r.dataset.id === '6')!;
    expect(created.textContent).toContain('user-create');
    expect(created.textContent).toContain('user-6');
    expect(created.textContent).toContain('role=operator');
  });

  test('filters by actor and action; paging keeps the filters; Clear filters shows everything again', async () => {
    show(2);
    await waitFor(() => expect(ids()).toEqual([7, 6]));
    const u = userEvent.setup();
    await u.type(screen.getByLabelText('Actor'), 'admin');
    await u.type(screen.getByLabelText('Action'), 'login');
    await u.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(ids()).toEqual([5, 4]));
    await u.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(ids()).toEqual([5, 4, 3, 2]));
    expect(auditCalls(server).slice(1)).toEqual([
      '/api/audit?actor=admin&action=login&limit=2',
      '/api/audit?actor=admin&action=login&limit=2&before=4',
    ]);

    await u.clear(screen.getByLabelText('Actor'));
    await u.type(screen.getByLabelText('Actor'), 'nobody');
    await u.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(await screen.findByText('No entries match these filters.')).toBeTruthy();
    expect(ids()).toEqual([]);

    await u.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(ids()).toEqual([7, 6]));
    expect((screen.getByLabelText('Actor') as HTMLInputElement).value).toBe('');
  });

  test("a refused query shows the server's message in an alert", async () => {
    server.on('GET', /^\/api\/audit(\?.*)?$/, () => ({
      status: 400,
      body: { error: 'invalid query', issues: [{ path: 'actor', message: 'too long' }] },
    }));
    show(3);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('invalid query');
    expect(alert.textContent).toContain('too long');
  });

  test('query and detail helpers', () => {
    expect(auditPath({})).toBe('/api/audit');
    expect(auditPath({ actor: ' olga ', action: '', before: 9, limit: 50 })).toBe(
      '/api/audit?actor=olga&limit=50&before=9',
    );
    expect(detailText({ role: 'operator', password: undefined, n: 2, o: { a: 1 } })).toBe(
      'role=operator, n=2, o={"a":1}',
    );
    expect(detailText(null)).toBe('');
  });
});
