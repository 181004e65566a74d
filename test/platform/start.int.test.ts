import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { REPO_ROOT } from '@wachtpost/platform';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { messageOf, validEvent } from '../support/events';
import { waitFor } from '../support/harness';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort, startNatsServer, type TestNatsServer } from '../support/nats-server';

function start(
  env: Record<string, string>,
  args: string[] = [],
): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'platform/src/bin/start.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_PRETTY: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

/**
 * Kills the embedded postmaster as the OOM killer would, publishes an event while it is down, and expects
 * pnpm start to run PostgreSQL again and store the event.
 */
async function survivesPostmasterKill(dataDir: string, output: () => string, natsUrl: string) {
  const pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  const nc = await connect({ servers: natsUrl });
  const m = messageOf(validEvent(4, Date.now(), 'pg-restart'));
  await jetstream(nc).publish(m.subject, m.data, { msgID: m.msgId });
  await nc.close();
  await waitFor(async () => output().includes('embedded PostgreSQL running again'), 30_000, 'the restart');
  expect(output()).toContain('the embedded PostgreSQL exited; starting it again');
  const port = /127\.0\.0\.1:(\d+)\/wachtpost/.exec(output())![1];
  const client = new pg.Client({
    connectionString: `postgres://wachtpost:wachtpost-dev@127.0.0.1:${port}/wachtpost`,
  });
  await client.connect();
  try {
    await waitFor(
      async () =>
        (await client.query(`SELECT 1 FROM sensor_events WHERE event_id = 'pg-restart-4'`)).rowCount === 1,
      30_000,
      'the event published while PostgreSQL was down stored',
    );
  } finally {
    await client.end();
  }
}

describe('pnpm start', () => {
  let nats: TestNatsServer | undefined;
  let db: TestDatabase | undefined;
  const dirs: string[] = [];
  afterAll(async () => {
    await nats?.stop();
    await db?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('with DATABASE_URL and NATS_URL: migrates, provisions, ingests, stops cleanly', async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    const port = await freePort();
    const run = start({ DATABASE_URL: db.url, NATS_URL: nats.url, PORT: String(port) });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 60_000, 'readyz');
      expect(run.output()).toContain('Wachtpost is up.');
      expect(run.output()).toContain('storage: plain PostgreSQL');

      const nc = await connect({ servers: nats.url });
      const m = messageOf(validEvent(3, Date.now(), 'start'));
      await jetstream(nc).publish(m.subject, m.data, { msgID: m.msgId });
      await nc.close();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await waitFor(
        async () =>
          (await client.query(`SELECT 1 FROM sensor_events WHERE event_id = 'start-3'`)).rowCount === 1,
        10_000,
        'the event stored',
      );
      await client.end();
    } finally {
      expect(await stop(run.child)).toBe(0);
    }
  });

  it('Ctrl-C on `pnpm start` while it is busy: stops gracefully, not killed', async () => {
    nats ??= await startNatsServer();
    const ctrlCDb = await createTestDatabase();
    const port = await freePort();
    let output = '';
    // Its own process group, as a terminal's foreground job: Ctrl-C signals every process in it.
    const pnpm = spawn('pnpm', ['start'], {
      cwd: REPO_ROOT,
      detached: true,
      env: {
        ...process.env,
        DATABASE_URL: ctrlCDb.url,
        NATS_URL: nats.url,
        PORT: String(port),
        LOG_PRETTY: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pnpm.stdout.on('data', (d: Buffer) => (output += d.toString()));
    pnpm.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => pnpm.once('exit', resolve));
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 60_000, 'readyz');
      // The process that runs the services (no launcher in between would be the one to pass the signal on).
      const service = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(pnpm.pid)], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter(
          ([, command, ...args]) =>
            /(^|\/)node$/.test(command ?? '') && !args.some((a) => a.endsWith('cli.mjs')),
        )
        .filter(([, , ...args]) => args.includes('platform/src/bin/start.ts'))
        .map(([pid]) => Number(pid));
      expect(service).toHaveLength(1);
      // Busy for a moment (a long synchronous step), as it is when the operator presses Ctrl-C.
      process.kill(service[0]!, 'SIGSTOP');
      process.kill(-pnpm.pid!, 'SIGINT');
      await new Promise((r) => setTimeout(r, 500));
      try {
        process.kill(service[0]!, 'SIGCONT');
      } catch {
        // A launcher that gave up on it has killed it by now: the wait for its graceful stop below fails.
      }
      await waitFor(async () => output.includes('"msg":"stopped"'), 20_000, 'a graceful stop');
      await exited;
      expect(output).not.toMatch(/second SIGINT|ELIFECYCLE/);
      expect(await exited).toBe(0);
    } finally {
      if (pnpm.exitCode === null && pnpm.signalCode === null) process.kill(-pnpm.pid!, 'SIGKILL');
      await ctrlCDb.drop();
    }
  });

  it('a database or NATS that does not answer: exits 1 at once with a line naming it and its variable', async () => {
    const closed = String(await freePort());
    const noDb = start({
      DATABASE_URL: `postgres://wachtpost:secret@127.0.0.1:${closed}/wachtpost`,
      NATS_URL: 'nats://127.0.0.1:1',
      PORT: String(await freePort()),
    });
    expect(await new Promise((resolve) => noDb.child.once('exit', resolve))).toBe(1);
    expect(noDb.output()).toContain(
      `"msg":"start-up failed: cannot connect to the database at postgres://wachtpost:***@127.0.0.1:${closed}/wachtpost (DATABASE_URL): connect ECONNREFUSED`,
    );
    expect(noDb.output()).not.toContain('secret');

    const database = await createTestDatabase();
    try {
      const noNats = start({
        DATABASE_URL: database.url,
        NATS_URL: `nats://127.0.0.1:${closed}`,
        PORT: String(await freePort()),
      });
      expect(await new Promise((resolve) => noNats.child.once('exit', resolve))).toBe(1);
      expect(noNats.output()).toContain(
        `"msg":"start-up failed: cannot connect to NATS at nats://127.0.0.1:${closed} (NATS_URL): connection refused`,
      );
    } finally {
      await database.drop();
    }
  });

  it('bad DETECTORS_PARAMS: start-up stops naming the site and the bad path, not "up" with detection dead', async () => {
    nats ??= await startNatsServer();
    const database = await createTestDatabase();
    const run = start({
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      PORT: String(await freePort()),
      DETECTORS_PARAMS: JSON.stringify({ demo: { 'persistent-phone': { minNights: 0 } } }),
    });
    try {
      expect(await new Promise((resolve) => run.child.once('exit', resolve))).toBe(1);
      expect(run.output()).toContain('start-up failed: invalid detector parameters DETECTORS_PARAMS.demo');
      expect(run.output()).toContain('persistent-phone.minNights: must be a whole number of at least 1');
      expect(run.output()).not.toContain('Wachtpost is up');
    } finally {
      await stop(run.child); // when it failed to refuse the start-up, it is still running
      await database.drop();
    }
  });

  it('--demo also runs the simulator feed: exercise traffic is stored', async () => {
    nats ??= await startNatsServer();
    const demoDb = await createTestDatabase();
    const port = await freePort();
    const run = start({ DATABASE_URL: demoDb.url, NATS_URL: nats.url, PORT: String(port) }, ['--demo']);
    const client = new pg.Client({ connectionString: demoDb.url });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 60_000, 'readyz');
      expect(run.output()).toContain('demo feed (exercise traffic)');
      expect(run.output()).toContain("the demo site's sensors are fictional");
      await client.connect();
      const stored = await waitFor(
        async () => {
          const { rows } = await client.query<{ kinds: string[]; live: number }>(
            `SELECT array_agg(DISTINCT kind ORDER BY kind) AS kinds, count(*) FILTER (WHERE NOT exercise)::int AS live
               FROM sensor_events`,
          );
          return rows[0]?.kinds?.includes('heartbeat') && rows[0];
        },
        30_000,
        'demo traffic stored',
      );
      expect(stored.kinds).toContain('roster');
      expect(stored.live).toBe(0);
    } finally {
      expect(await stop(run.child)).toBe(0);
      await client.end();
      await demoDb.drop();
    }
  });

  it('without DATABASE_URL: runs the embedded PostgreSQL in a data folder that survives restarts', async () => {
    nats ??= await startNatsServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'wachtpost-data-'));
    dirs.push(dataDir);
    chmodSync(dataDir, 0o755); // PostgreSQL runs as the postgres user when we are root
    const port = await freePort();
    const env = { NATS_URL: nats.url, PORT: String(port), WACHTPOST_DATA_DIR: dataDir, DATABASE_URL: '' };
    for (const round of [1, 2]) {
      const run = start(env);
      try {
        await waitFor(
          async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
          120_000,
          `readyz, start ${round}`,
        );
        expect(run.output()).toMatch(
          /database: {2}postgres:\/\/wachtpost:\*\*\*@127\.0\.0\.1:\d+\/wachtpost/,
        );
        if (round === 1) {
          expect(run.output()).toContain('initialising the embedded PostgreSQL data folder');
          // A second start on the same data folder says why it cannot run.
          const second = start({ ...env, PORT: String(await freePort()) });
          const code = await new Promise((resolve) => second.child.once('exit', resolve));
          expect(code).toBe(1);
          expect(second.output()).toMatch(/embedded PostgreSQL in \S+ is already running \(pid \d+\)/);
        } else {
          expect(run.output()).not.toContain('initialising the embedded PostgreSQL data folder');
          await survivesPostmasterKill(dataDir, run.output, nats.url);
        }
      } finally {
        expect(await stop(run.child)).toBe(0);
      }
    }
  });
});
