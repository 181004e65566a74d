import { spawn } from 'node:child_process';
import { LoginRateLimit } from '@wachtpost/console';
import { REPO_ROOT } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';
import { waitFor } from '../support/harness';

let h: ConsoleHarness;
let server: RunningConsole;

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole({ rateLimit: new LoginRateLimit(5, 60_000) });
  await h.addUser('olga', 'operator');
});
afterAll(() => h?.close());

const auditOf = async (actor: string, action: string) =>
  (
    await h.pool.query<{ actor: string; action: string; target: string | null; ip: string | null }>(
      'SELECT actor, action, target, ip FROM audit_log WHERE actor = $1 AND action = $2 ORDER BY id',
      [actor, action],
    )
  ).rows;

describe('console sessions', () => {
  it('logs in with the right password: httpOnly SameSite=Strict cookie, who-am-I, audited', async () => {
    const res = await h.api(server.base, undefined, 'POST', '/api/session', {
      username: 'olga',
      password: PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'olga', role: 'operator' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^wachtpost_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
    const me = await h.api(server.base, cookie.split(';')[0], 'GET', '/api/session');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'olga', role: 'operator' });
    const logins = await auditOf('olga', 'login');
    expect(logins.length).toBeGreaterThanOrEqual(1);
    expect(logins[0]?.ip).toBeTruthy();
    // Only a hash of the token is stored.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const stored = await h.pool.query('SELECT 1 FROM sessions WHERE token_hash::text LIKE $1', [
      `%${token}%`,
    ]);
    expect(stored.rowCount).toBe(0);
  });

  it('refuses a wrong password or an unknown user with one message, and audits both', async () => {
    const wrong = await h.api(server.base, undefined, 'POST', '/api/session', {
      username: 'olga',
      password: 'not the password',
    });
    const unknown = await h.api(server.base, undefined, 'POST', '/api/session', {
      username: 'nobody',
      password: 'whatever-it-is',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await auditOf('nobody', 'login-failed')).toHaveLength(1);
  });

  it('rate-limits failed logins per username and address: 429 with Retry-After, then even the right password waits', async () => {
    await h.addUser('rita', 'analyst');
    for (let i = 0; i < 5; i++) {
      const res = await h.api(server.base, undefined, 'POST', '/api/session', {
        username: 'rita',
        password: `wrong-${i}-password`,
      });
      expect(res.status).toBe(401);
    }
    const blocked = await h.api(server.base, undefined, 'POST', '/api/session', {
      username: 'rita',
      password: PASSWORD,
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.error).toMatch(/too many failed logins/);
    expect(await auditOf('rita', 'login-throttled')).toHaveLength(1);
    // Another user from the same address is not affected.
    expect(
      (await h.api(server.base, undefined, 'POST', '/api/session', { username: 'olga', password: PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('behind a trusted reverse proxy, rate-limits and audits the client the proxy names, not the proxy', async () => {
    const proxied = await h.startConsole({
      rateLimit: new LoginRateLimit(5, 60_000),
      env: { CONSOLE_TRUSTED_PROXIES: '127.0.0.1, ::1' },
    });
    try {
      await h.addUser('petra', 'operator');
      const login = (client: string, password: string) =>
        fetch(`${proxied.base}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
          body: JSON.stringify({ username: 'petra', password }),
        });
      for (let i = 0; i < 5; i++)
        expect((await login('198.51.100.1', `wrong-${i}-password`)).status).toBe(401);
      expect((await login('198.51.100.1', PASSWORD)).status).toBe(429);
      // The same user at another desk, through the same proxy, is not locked out.
      expect((await login('198.51.100.2', PASSWORD)).status).toBe(200);
      const { rows } = await h.pool.query<{ action: string; ip: string }>(
        "SELECT action, ip FROM audit_log WHERE actor = 'petra' ORDER BY id",
      );
      expect(new Set(rows.filter((r) => r.action === 'login-failed').map((r) => r.ip))).toEqual(
        new Set(['198.51.100.1']),
      );
      expect(rows.find((r) => r.action === 'login')?.ip).toBe('198.51.100.2');
    } finally {
      await proxied.stop();
    }
  });

  it('rate-limits one address trying many usernames (password spraying), and a success does not reset it', async () => {
    const spray = await h.startConsole({
      rateLimit: new LoginRateLimit(5, 60_000, Date.now, 20),
      env: { CONSOLE_TRUSTED_PROXIES: '127.0.0.1, ::1' },
    });
    try {
      await h.addUser('sven', 'operator');
      const login = (client: string, username: string, password: string) =>
        h.api(
          spray.base,
          undefined,
          'POST',
          '/api/session',
          { username, password },
          { 'x-forwarded-for': client },
        );
      // One guess at each of 19 usernames, then a valid login from the same address in between, then more.
      for (let i = 0; i < 19; i++)
        expect((await login('203.0.113.9', `user${i}`, 'Summer2026!')).status).toBe(401);
      expect((await login('203.0.113.9', 'sven', PASSWORD)).status).toBe(200);
      expect((await login('203.0.113.9', 'user19', 'Summer2026!')).status).toBe(401);
      const blocked = await login('203.0.113.9', 'user20', 'Summer2026!');
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toMatch(/too many failed logins from this address; try again in \d+ s/);
      // The address as a whole waits, even with a right password; its lockout is audited once.
      expect((await login('203.0.113.9', 'sven', PASSWORD)).status).toBe(429);
      const { rows } = await h.pool.query<{ detail: unknown }>(
        "SELECT detail FROM audit_log WHERE action = 'login-throttled' AND ip = '203.0.113.9'",
      );
      expect(rows.map((r) => r.detail)).toEqual([{ by: 'address' }]);
      // Another desk is not affected.
      expect((await login('203.0.113.10', 'sven', PASSWORD)).status).toBe(200);
    } finally {
      await spray.stop();
    }
  });

  it('logs out: the cookie is cleared, the session is gone server-side, and the logout is audited', async () => {
    const cookie = await h.login(server.base, 'olga');
    const out = await h.api(server.base, cookie, 'DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await h.api(server.base, cookie, 'GET', '/api/session')).status).toBe(401);
    expect((await h.api(server.base, cookie, 'GET', '/api/alerts')).status).toBe(401);
    expect((await auditOf('olga', 'logout')).length).toBeGreaterThanOrEqual(1);
  });

  it('answers bad login input with 4xx JSON naming the problem', async () => {
    const missing = await h.api(server.base, undefined, 'POST', '/api/session', { username: 'olga' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid login');
    expect(missing.body.issues).toEqual([expect.objectContaining({ path: 'password' })]);
    const notJson = await h.api(server.base, undefined, 'POST', '/api/session', '{nope');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/not valid JSON/);
    const form = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=olga&password=x',
    });
    expect(form.status).toBe(415);
    const extra = await h.api(server.base, undefined, 'POST', '/api/session', {
      username: 'olga',
      password: PASSWORD,
      admin: true,
    });
    expect(extra.status).toBe(400);
    expect((await h.api(server.base, undefined, 'PUT', '/api/session', {})).status).toBe(405);
  });

  it('sets security headers on every response, API, health and socket.io alike', async () => {
    for (const path of [
      '/api/session',
      '/healthz',
      '/metrics',
      '/nowhere',
      '/socket.io/?EIO=4&transport=polling',
    ]) {
      const res = await fetch(server.base + path);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });
});

describe('console admin account', () => {
  it('takes the admin password from WACHTPOST_ADMIN_PASSWORD', async () => {
    const cookie = await h.login(server.base, 'admin');
    expect((await h.api(server.base, cookie, 'GET', '/api/session')).body).toMatchObject({ role: 'admin' });
  });

  it('without it, generates a dev admin password once, prints it once, and it works', async () => {
    await h.pool.query("DELETE FROM users WHERE username = 'admin'");
    const first = await h.startConsole({ env: { WACHTPOST_ADMIN_PASSWORD: '' } });
    const printed = first.printed.join('');
    const password = /Password: (\S+)/.exec(printed)?.[1];
    expect(password).toBeTruthy();
    await first.stop();
    const second = await h.startConsole({ env: { WACHTPOST_ADMIN_PASSWORD: '' } });
    expect(second.printed).toEqual([]);
    const cookie = await h.login(second.base, 'admin', password);
    expect((await h.api(second.base, cookie, 'GET', '/api/session')).body).toMatchObject({
      username: 'admin',
    });
    const stored = await h.pool.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE username = 'admin'",
    );
    expect(stored.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
    await second.stop();
    // The configured password takes over again at the next start.
    const third = await h.startConsole();
    await h.login(third.base, 'admin');
    await third.stop();
  });

  it('lets an admin create, change, disable and delete users, and audits each', async () => {
    const admin = await h.login(server.base, 'admin');
    const created = await h.api(server.base, admin, 'POST', '/api/users', {
      username: 'tess',
      password: PASSWORD,
      role: 'tester',
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password_hash');
    expect(
      (
        await h.api(server.base, admin, 'POST', '/api/users', {
          username: 'tess',
          password: PASSWORD,
          role: 'tester',
        })
      ).status,
    ).toBe(409);
    const tess = await h.login(server.base, 'tess');
    const changed = await h.api(server.base, admin, 'PATCH', '/api/users/tess', { role: 'analyst' });
    expect(changed.body).toMatchObject({ role: 'analyst' });
    // The role change ended tess's session.
    expect((await h.api(server.base, tess, 'GET', '/api/session')).status).toBe(401);
    await h.api(server.base, admin, 'PATCH', '/api/users/tess', { disabled: true });
    expect(
      (await h.api(server.base, undefined, 'POST', '/api/session', { username: 'tess', password: PASSWORD }))
        .status,
    ).toBe(401);
    const list = await h.api<{ users: { username: string; disabled: boolean }[] }>(
      server.base,
      admin,
      'GET',
      '/api/users',
    );
    expect(list.body.users.find((u) => u.username === 'tess')).toMatchObject({ disabled: true });
    expect((await h.api(server.base, admin, 'DELETE', '/api/users/tess')).status).toBe(204);
    expect((await h.api(server.base, admin, 'DELETE', '/api/users/tess')).status).toBe(404);
    expect((await h.api(server.base, admin, 'DELETE', '/api/users/admin')).status).toBe(409);
    const bad = await h.api(server.base, admin, 'POST', '/api/users', {
      username: 'Bad Name',
      password: 'short',
      role: 'boss',
    });
    expect(bad.status).toBe(400);
    expect((bad.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual([
      'password',
      'role',
      'username',
    ]);
    const actions = (
      await h.pool.query<{ action: string }>("SELECT action FROM audit_log WHERE target = 'tess' ORDER BY id")
    ).rows.map((r) => r.action);
    expect(actions).toEqual(['user-create', 'user-update', 'user-update', 'user-delete']);
    const audit = await h.api<{ entries: { action: string }[] }>(
      server.base,
      admin,
      'GET',
      '/api/audit?actor=admin',
    );
    expect(audit.body.entries.map((e) => e.action)).toContain('user-delete');
  });
});

describe('admin-password CLI', () => {
  const cli = (args: string[], input?: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'console/server/src/bin/admin-password.ts', ...args],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, DATABASE_URL: h.db.url, LOG_LEVEL: 'error', LOG_PRETTY: 'false' },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.stdin.end(input ?? '');
      child.once('exit', (code) => resolve({ code, out }));
    });

  it('sets a password read from stdin, refuses a short one, generates one, and signs the admin out', async () => {
    const session = await h.login(server.base, 'admin');
    const short = await cli([], 'short\n');
    expect(short.code).toBe(1);
    expect(short.out).toMatch(/at least 12 characters/);
    const typed = await cli([], 'a brand new admin password\n');
    expect(typed.code).toBe(0);
    expect((await h.api(server.base, session, 'GET', '/api/session')).status).toBe(401);
    await h.login(server.base, 'admin', 'a brand new admin password');
    const generated = await cli(['--generate']);
    expect(generated.code).toBe(0);
    const password = /admin password set: (\S+)/.exec(generated.out)?.[1];
    await h.login(server.base, 'admin', password);
    expect(
      (await h.pool.query("SELECT 1 FROM audit_log WHERE action = 'admin-password-set' AND actor = 'cli'"))
        .rowCount,
    ).toBe(2);
    // Back to the harness's password for the other tests.
    await cli([], `${PASSWORD}\n`);
  });

  it('does not show a password typed on a terminal', async () => {
    // `script` gives the command a terminal; the password is typed once the prompt is there.
    const command = `${process.execPath} --import tsx console/server/src/bin/admin-password.ts`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: h.db.url, LOG_LEVEL: 'error', LOG_PRETTY: 'false' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitFor(async () => out.includes('New admin password'), 20_000, 'the prompt');
    child.stdin.write('typed where others can see\r');
    expect(await exited).toBe(0);
    expect(out).toContain('admin password set');
    expect(out).not.toContain('typed where others can see');
    await h.login(server.base, 'admin', 'typed where others can see');
    await cli([], `${PASSWORD}\n`);
  });
});
