import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';

// GET /api/audit pages with a keyset cursor `before=<id>` (entries with a smaller id), newest first, and says
// `nextBefore` while a full page came back; the admin audit page's `Load more` follows it.

let h: ConsoleHarness;
let server: RunningConsole;
let admin: string;

interface AuditPage {
  entries: { id: number; actor: string; action: string; target: string | null }[];
  nextBefore: number | null;
}

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole();
  await h.addUser('olga', 'operator');
  admin = await h.login(server.base, 'admin');
  // Seven entries of one action, written straight into the log, oldest first.
  for (let i = 1; i <= 7; i++)
    await h.pool.query("INSERT INTO audit_log (actor, action, target) VALUES ('pager', 'page-test', $1)", [
      `t-${i}`,
    ]);
});
afterAll(() => h?.close());

const audit = (query: string, cookie = admin) =>
  h.api<AuditPage>(server.base, cookie, 'GET', `/api/audit?${query}`);

describe('audit log paging', () => {
  it('follows nextBefore page by page, newest first, without a repeat or a gap, across new entries', async () => {
    const first = await audit('action=page-test&limit=3');
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e) => e.target)).toEqual(['t-7', 't-6', 't-5']);
    expect(first.body.nextBefore).toBe(first.body.entries[2]!.id);

    // An entry written between two pages lands at the top and does not shift the next page.
    await h.pool.query("INSERT INTO audit_log (actor, action, target) VALUES ('pager', 'page-test', 't-8')");
    const second = await audit(`action=page-test&limit=3&before=${first.body.nextBefore}`);
    expect(second.body.entries.map((e) => e.target)).toEqual(['t-4', 't-3', 't-2']);
    expect(second.body.nextBefore).toBe(second.body.entries[2]!.id);

    const third = await audit(`action=page-test&limit=3&before=${second.body.nextBefore}`);
    expect(third.body.entries.map((e) => e.target)).toEqual(['t-1']);
    // A short page is the last one.
    expect(third.body.nextBefore).toBeNull();
  });

  it('combines the cursor with the actor filter', async () => {
    const all = await audit('actor=pager&limit=100');
    expect(all.body.entries).toHaveLength(8);
    expect(all.body.nextBefore).toBeNull();
    const pivot = all.body.entries[4]!.id;
    const older = await audit(`actor=pager&before=${pivot}`);
    expect(older.body.entries.every((e) => e.id < pivot && e.actor === 'pager')).toBe(true);
    expect(older.body.entries.map((e) => e.target)).toEqual(['t-3', 't-2', 't-1']);
    // Before the first id there is nothing.
    const none = await audit('actor=pager&before=1');
    expect(none.body).toEqual({ entries: [], nextBefore: null });
  });

  it('refuses a bad cursor with 400 naming it, and non-admins with 403', async () => {
    for (const bad of ['abc', '0', '-5', '1.5', '', '99999999999999999999']) {
      const res = await h.api<{ error: string; issues: { path: string }[] }>(
        server.base,
        admin,
        'GET',
        `/api/audit?before=${encodeURIComponent(bad)}`,
      );
      expect(res.status, `before=${bad}`).toBe(400);
      expect([...new Set(res.body.issues.map((i) => i.path))]).toEqual(['before']);
    }
    const olga = await h.login(server.base, 'olga');
    expect((await audit('before=10', olga)).status).toBe(403);
  });
});
