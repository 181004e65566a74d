import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { App } from '../components/app';
import { fakeServer, type FakeServer, resetAppAroundEachTest } from '../test-support';
import type { Role } from '../types';
import type { User } from './admin-api';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

const user = (username: string, role: Role, disabled = false): User => ({
  id: username.length,
  username,
  role,
  disabled,
  createdAt: '2026-03-01T02:00:00.000Z',
  updatedAt: '2026-03-01T02:00:00.000Z',
});

/** A fake console with a users table the routes change, the way the server does (without the checks). */
function usersServer(role: Role = 'admin') {
  const server = fakeServer({ session: { username: 'admin', role, expiresAt: '2099-01-01T00:00:00Z' } });
  const users = new Map([
    ['admin', user('admin', 'admin')],
    ['olga', user('olga', 'operator')],
  ]);
  server.on('GET', /^\/api\/users$/, () => ({
    status: 200,
    body: { users: [...users.values()].sort((a, b) => a.username.localeCompare(b.username)) },
  }));
  server.on('POST', /^\/api\/users$/, (call) => {
    const b = call.body as { username: string; password: string; role: Role };
    if (b.password.length < 12)
      return {
        status: 400,
        body: {
          error: 'invalid user',
          issues: [{ path: 'password', message: 'must be at least 12 characters' }],
        },
      };
    users.set(b.username, user(b.username, b.role));
    return { status: 201, body: users.get(b.username) };
  });
  server.on('PATCH', /^\/api\/users\/([^/]+)$/, (call, m) => {
    const name = decodeURIComponent(m[1]!);
    const u = users.get(name);
    if (!u) return { status: 404, body: { error: `no user ${name}` } };
    const c = call.body as { role?: Role; disabled?: boolean };
    const next = {
      ...u,
      ...(c.role && { role: c.role }),
      ...(c.disabled !== undefined && { disabled: c.disabled }),
    };
    users.set(name, next);
    return { status: 200, body: next };
  });
  server.on('DELETE', /^\/api\/users\/([^/]+)$/, (_call, m) => {
    const name = decodeURIComponent(m[1]!);
    if (name === 'admin') return { status: 409, body: { error: 'an admin cannot delete themself' } };
    users.delete(name);
    return { status: 204 };
  });
  return server;
}

function start(server: FakeServer, path: string) {
  window.history.replaceState(null, '', path);
  render(<App />);
  return server;
}

const rowOf = async (username: string) =>
  (await screen.findAllByTestId('user-row')).find((r) => r.dataset.username === username) ??
  Promise.reject(new Error(`no row ${username}`));
const calls = (server: FakeServer, method: string) =>
  server.calls.filter((c) => c.method === method && c.path.startsWith('/api/users'));

resetAppAroundEachTest();

describe('users page', () => {
  test('lists the accounts and creates a user', async () => {
    const server = start(usersServer(), '/admin/users');
    expect(await screen.findByRole('heading', { name: 'Users', level: 1 })).toBeTruthy();
    const olga = await rowOf('olga');
    expect(olga.dataset.role).toBe('operator');
    expect(olga.dataset.disabled).toBe('false');
    expect(within(olga).getByText('active')).toBeTruthy();

    const u = userEvent.setup();
    await u.type(screen.getByLabelText('Username'), 'otto');
    await u.type(screen.getByLabelText('Password'), 'a long enough password');
    await u.selectOptions(screen.getByLabelText('Role'), 'analyst');
    await u.click(screen.getByRole('button', { name: 'Create user' }));
    expect((await rowOf('otto')).dataset.role).toBe('analyst');
    expect(calls(server, 'POST')[0]?.body).toEqual({
      username: 'otto',
      password: 'a long enough password',
      role: 'analyst',
    });
    expect(await screen.findByText('otto created (analyst).')).toBeTruthy();
    // The form is cleared for the next one.
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('');
  });

  test("a refused create shows the server's message and its issues in an alert", async () => {
    start(usersServer(), '/admin/users');
    const u = userEvent.setup();
    await u.type(await screen.findByLabelText('Username'), 'otto');
    await u.type(screen.getByLabelText('Password'), 'short');
    await u.click(screen.getByRole('button', { name: 'Create user' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('invalid user');
    expect(alert.textContent).toContain('must be at least 12 characters');
    // What was typed stays, to be corrected.
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('otto');
  });

  test('changes a role, disables and enables, and sets a new password', async () => {
    const server = start(usersServer(), '/admin/users');
    const u = userEvent.setup();
    const olga = await rowOf('olga');
    await u.selectOptions(within(olga).getByLabelText('Role of olga'), 'analyst');
    await u.click(within(olga).getByRole('button', { name: 'Change role of olga' }));
    await waitFor(async () => expect((await rowOf('olga')).dataset.role).toBe('analyst'));

    await u.click(within(await rowOf('olga')).getByRole('button', { name: 'Disable olga' }));
    await waitFor(async () => expect((await rowOf('olga')).dataset.disabled).toBe('true'));
    await u.click(within(await rowOf('olga')).getByRole('button', { name: 'Enable olga' }));
    await waitFor(async () => expect((await rowOf('olga')).dataset.disabled).toBe('false'));

    await u.click(within(await rowOf('olga')).getByRole('button', { name: 'Set password of olga' }));
    await u.type(screen.getByLabelText('New password for olga'), 'another long password');
    await u.click(screen.getByRole('button', { name: 'Save password' }));
    await screen.findByText('New password set for olga.');
    expect(screen.queryByLabelText('New password for olga')).toBeNull();

    expect(calls(server, 'PATCH').map((c) => [c.path, c.body])).toEqual([
      ['/api/users/olga', { role: 'analyst' }],
      ['/api/users/olga', { disabled: true }],
      ['/api/users/olga', { disabled: false }],
      ['/api/users/olga', { password: 'another long password' }],
    ]);
  });

  test('deletes only after the confirm step; Cancel (focused first) keeps the user', async () => {
    const server = start(usersServer(), '/admin/users');
    const u = userEvent.setup();
    await u.click(within(await rowOf('olga')).getByRole('button', { name: 'Delete olga' }));
    const confirm = screen.getByRole('group', { name: 'Confirm deleting olga' });
    expect(confirm.textContent).toContain('Delete olga? This cannot be undone.');
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await u.keyboard('{Enter}');
    expect(screen.queryByRole('group', { name: 'Confirm deleting olga' })).toBeNull();
    expect(calls(server, 'DELETE')).toHaveLength(0);

    // Escape closes it too, and the focus goes back to Delete.
    await u.click(within(await rowOf('olga')).getByRole('button', { name: 'Delete olga' }));
    await u.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'Confirm deleting olga' })).toBeNull();
    expect(document.activeElement).toBe(
      within(await rowOf('olga')).getByRole('button', { name: 'Delete olga' }),
    );

    await u.click(within(await rowOf('olga')).getByRole('button', { name: 'Delete olga' }));
    await u.click(screen.getByRole('button', { name: 'Confirm delete' }));
    await waitFor(() =>
      expect(screen.getAllByTestId('user-row').map((r) => r.dataset.username)).toEqual(['admin']),
    );
    expect(calls(server, 'DELETE').map((c) => c.path)).toEqual(['/api/users/olga']);
  });

  test("deleting oneself shows the server's 409 message in an alert", async () => {
    start(usersServer(), '/admin/users');
    const u = userEvent.setup();
    await u.click(within(await rowOf('admin')).getByRole('button', { name: 'Delete admin' }));
    await u.click(screen.getByRole('button', { name: 'Confirm delete' }));
    expect((await screen.findByRole('alert')).textContent).toContain('an admin cannot delete themself');
    expect(await rowOf('admin')).toBeTruthy();
  });
});

describe('admin navigation', () => {
  test('an admin has the links Silences, Users and Audit', async () => {
    start(usersServer(), '/');
    const nav = await screen.findByRole('navigation');
    for (const name of ['Silences', 'Users', 'Audit'])
      expect(within(nav).getByRole('link', { name }).getAttribute('href')).toBe(
        { Silences: '/silences', Users: '/admin/users', Audit: '/admin/audit' }[name],
      );
  });

  test.each(['operator', 'analyst'] as const)(
    'an %s gets Silences but no admin links, and a not-allowed message on /admin/*',
    async (role) => {
      const server = start(usersServer(role), '/admin/users');
      expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeTruthy();
      expect(screen.getByRole('alert').textContent).toContain('for admins');
      const nav = screen.getByRole('navigation');
      expect(within(nav).getByRole('link', { name: 'Silences' })).toBeTruthy();
      expect(within(nav).queryByRole('link', { name: 'Users' })).toBeNull();
      expect(within(nav).queryByRole('link', { name: 'Audit' })).toBeNull();
      expect(server.calls.some((c) => c.path.startsWith('/api/users'))).toBe(false);
      cleanup();
      start(server, '/admin/audit');
      expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeTruthy();
      expect(server.calls.some((c) => c.path.startsWith('/api/audit'))).toBe(false);
    },
  );

  test('an admin at an unknown /admin/ page gets "not found"', async () => {
    start(usersServer(), '/admin/nothing');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  });
});
