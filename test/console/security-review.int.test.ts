import { jetstreamManager } from '@nats-io/jetstream';
import { LoginRateLimit } from '@wachtpost/console';
import { ALERTS_STREAM } from '@wachtpost/contracts';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/harness';
import {
  connectLive,
  makeAlert,
  PASSWORD,
  startConsoleHarness,
  type ConsoleHarness,
  type RunningConsole,
} from '../support/console';

// Weaknesses found in the security review of the console server, each shown against a running server.
let h: ConsoleHarness;
let server: RunningConsole;

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole({ rateLimit: new LoginRateLimit(5, 60_000) });
  await h.addUser('rita', 'operator');
});
afterAll(() => h?.close());

const login = (username: string, password: string) =>
  h.api(server.base, undefined, 'POST', '/api/session', { username, password });

describe('login rate limit', () => {
  it('holds for guesses sent in parallel: no more than the budget is ever checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('rita', `wrong password ${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    // And the right password waits too, as after sequential failures.
    expect((await login('rita', PASSWORD)).status).toBe(429);
  });

  it('audits a lockout once, not every refused attempt (which costs a client nothing to send)', async () => {
    await h.addUser('lena', 'operator');
    for (let i = 0; i < 5; i++) expect((await login('lena', `wrong password ${i}`)).status).toBe(401);
    for (let i = 0; i < 50; i++) expect((await login('lena', `wrong again ${i}`)).status).toBe(429);
    const { rows } = await h.pool.query(
      "SELECT 1 FROM audit_log WHERE actor = 'lena' AND action = 'login-throttled'",
    );
    expect(rows).toHaveLength(1);
  });
});

/** Opens a socket as a browser page would, with the headers given; resolves with how the handshake ended. */
function handshake(cookie: string, headers: Record<string, string>): Promise<'connected' | 'refused'> {
  const socket = io(server.base, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie, ...headers },
  });
  return new Promise((resolve) => {
    socket.once('ready', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', () => {
      socket.close();
      resolve('refused');
    });
  });
}

describe('pages of another origin of the same site', () => {
  // SameSite=Strict sends the cookie from any origin of the same site: another port of the console's host,
  // or a sibling host name. WebSockets are not bound by CORS, so only the server can refuse them.
  it('cannot open a live socket as the signed-in user', async () => {
    await h.addUser('otto', 'operator');
    const cookie = await h.login(server.base, 'otto');
    const other = `http://127.0.0.1:${server.port + 1}`;
    expect(await handshake(cookie, { origin: other, 'sec-fetch-site': 'same-site' })).toBe('refused');
    expect(await handshake(cookie, { origin: other })).toBe('refused');
    expect(await handshake(cookie, { origin: 'null' })).toBe('refused');
    // The console's own page, and clients that are not browsers, still connect.
    expect(await handshake(cookie, { origin: server.base, 'sec-fetch-site': 'same-origin' })).toBe(
      'connected',
    );
    expect(await handshake(cookie, { origin: server.base })).toBe('connected');
    expect(await handshake(cookie, {})).toBe('connected');
  });
});

describe('state changes from pages of another origin of the same site', () => {
  // A form can POST without a body (so without the JSON content type that otherwise forces a preflight), and
  // the simulator's pause, resume and stop take no body.
  it('are refused, bodiless POSTs included', async () => {
    await h.addUser('tess', 'tester');
    const cookie = await h.login(server.base, 'tess');
    const started = await h.api(server.base, cookie, 'POST', '/api/simulator/start', {
      siteId: 'demo',
      mode: 'load',
      rate: 1,
    });
    expect(started.status).toBe(200);
    try {
      const formPost = await fetch(`${server.base}/api/simulator/pause`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          origin: `http://127.0.0.1:${server.port + 1}`,
          'sec-fetch-site': 'same-site',
        },
        body: '',
      });
      expect(formPost.status).toBe(403);
      const view = await h.api<{ phase: string }>(server.base, cookie, 'GET', '/api/simulator');
      expect(view.body.phase).toBe('running');
      // The console's own page may.
      const own = await fetch(`${server.base}/api/simulator/pause`, {
        method: 'POST',
        headers: { cookie, origin: server.base, 'sec-fetch-site': 'same-origin' },
      });
      expect(own.status).toBe(200);
    } finally {
      await h.api(server.base, cookie, 'POST', '/api/simulator/stop');
    }
  });
});

describe('the admin password from WACHTPOST_ADMIN_PASSWORD', () => {
  it('ends the admin sessions when it changes, as every password change does', async () => {
    const cookie = await h.login(server.base, 'admin');
    const rotated = await h.startConsole({ env: { WACHTPOST_ADMIN_PASSWORD: 'a rotated admin password' } });
    try {
      expect((await h.api(server.base, cookie, 'GET', '/api/session')).status).toBe(401);
      expect((await h.api(rotated.base, cookie, 'GET', '/api/session')).status).toBe(401);
      await h.login(rotated.base, 'admin', 'a rotated admin password');
    } finally {
      await rotated.stop();
      // Back to the harness's password for the tests after this one.
      await (await h.startConsole()).stop();
    }
  });
});

describe('sockets on another console server', () => {
  // Several console servers run side by side; a logout or a user change reaches one of them.
  it('end when the session ends or the user is disabled through another server', async () => {
    const other = await h.startConsole({ sessionCheckMs: 200 });
    try {
      await h.addUser('vera', 'analyst');
      const admin = await h.login(server.base, 'admin');
      const first = await h.login(server.base, 'vera');
      const second = await h.login(server.base, 'vera');
      const loggedOut = await connectLive(other.base, first);
      const disabled = await connectLive(other.base, second);
      expect(loggedOut.socket.connected && disabled.socket.connected).toBe(true);

      expect((await h.api(server.base, first, 'DELETE', '/api/session')).status).toBe(204);
      await waitFor(async () => !loggedOut.socket.connected, 5_000, 'socket of the logged-out session ended');
      expect(disabled.socket.connected).toBe(true);

      const patch = await h.api(server.base, admin, 'PATCH', '/api/users/vera', { disabled: true });
      expect(patch.status).toBe(200);
      await waitFor(async () => !disabled.socket.connected, 5_000, 'socket of the disabled user ended');
      loggedOut.close();
      disabled.close();
    } finally {
      await other.stop();
    }
  });
});

describe('reads from pages of another origin of the same site', () => {
  it("are refused before they write an audit entry in the user's name", async () => {
    await h.addUser('alma', 'analyst');
    const cookie = await h.login(server.base, 'alma');
    const path = '/api/history/detainees/d-0042/timeline';
    // What an <img src> on another port of the console's host sends.
    const img = await fetch(server.base + path, {
      headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' },
    });
    expect(img.status).toBe(403);
    const audited = async () =>
      (
        await h.pool.query(
          "SELECT 1 FROM audit_log WHERE actor = 'alma' AND action = 'view-detainee-timeline'",
        )
      ).rowCount;
    expect(await audited()).toBe(0);
    // The console's own page, a bookmark or a typed address may.
    for (const site of ['same-origin', 'none']) {
      const own = await fetch(server.base + path, { headers: { cookie, 'sec-fetch-site': site } });
      expect(own.status).toBe(200);
    }
    expect(await audited()).toBe(2);
  });
});

describe('a client sending resume after resume', () => {
  it('holds one stream consumer at a time, and the last resume still replays', async () => {
    for (let i = 0; i < 20; i++) await h.seedAlert(makeAlert());
    await h.addUser('ines', 'analyst');
    const live = await connectLive(server.base, await h.login(server.base, 'ines'));
    const jsm = await jetstreamManager(h.nc);
    const consumers = async () => (await jsm.streams.info(ALERTS_STREAM)).state.consumer_count;
    const before = await consumers();
    for (let i = 0; i < 300; i++) live.socket.emit('resume', { afterSeq: 0 });
    const last = new Promise<{ ok: boolean; replayed?: number }>((resolve) =>
      live.socket.emit('resume', { afterSeq: 0 }, resolve),
    );
    let most = before;
    let answer: { ok: boolean; replayed?: number } | undefined;
    void last.then((a) => (answer = a));
    const deadline = Date.now() + 20_000;
    while (!answer && Date.now() < deadline) {
      most = Math.max(most, await consumers());
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(answer).toMatchObject({ ok: true });
    expect(answer?.replayed).toBeGreaterThanOrEqual(20);
    expect(most - before).toBeLessThanOrEqual(2);
    live.close();
  });
});

describe('user changes and the audit log', () => {
  it('commits a user change with its audit entry or not at all', async () => {
    const admin = await h.login(server.base, 'admin');
    await h.addUser('tom', 'operator');
    // An audit log that refuses the entries: a change that cannot be recorded must not happen.
    await h.pool.query(
      "ALTER TABLE audit_log ADD CONSTRAINT refuse_user_changes CHECK (action NOT LIKE 'user-%') NOT VALID",
    );
    try {
      const create = await h.api(server.base, admin, 'POST', '/api/users', {
        username: 'unrecorded',
        password: 'a long enough password',
        role: 'operator',
      });
      expect(create.status).toBe(500);
      expect((await h.pool.query("SELECT 1 FROM users WHERE username = 'unrecorded'")).rows).toHaveLength(0);
      const disable = await h.api(server.base, admin, 'PATCH', '/api/users/tom', { disabled: true });
      expect(disable.status).toBe(500);
      const remove = await h.api(server.base, admin, 'DELETE', '/api/users/tom');
      expect(remove.status).toBe(500);
      const { rows } = await h.pool.query<{ disabled: boolean }>(
        "SELECT disabled FROM users WHERE username = 'tom'",
      );
      expect(rows).toEqual([{ disabled: false }]);
    } finally {
      await h.pool.query('ALTER TABLE audit_log DROP CONSTRAINT refuse_user_changes');
    }
  });
});
