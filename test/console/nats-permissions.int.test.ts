import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { consoleService } from '@wachtpost/console';
import { detectorsService } from '@wachtpost/detectors';
import { ingestService } from '@wachtpost/ingest';
import {
  ALERTS_STREAM,
  DETECTORS_CONSUMER,
  INGEST_CONSUMER,
  SENSORS_STREAM,
  alertSubject,
  type Alert,
} from '@wachtpost/contracts';
import {
  REPO_ROOT,
  connectNats,
  createPool,
  loadConfig,
  migrate,
  provisionJetStream,
  runServices,
  type NatsConnection,
  type Pool,
  type RunningSystem,
} from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, connectLive, makeAlert, storeAlertRows, streamRevision } from '../support/console';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { messageOf } from '../support/events';
import { quietLog, waitFor } from '../support/harness';
import { droneDropScenario } from '../support/scenarios';
import { freePort, waitForPort } from '../support/nats-server';

// The console as deployed: NATS user `console` of deploy/nats/nats.conf (the production file, run by the
// nats-server on the PATH), doing everything it does: read ALERTS live and from a sequence (resume), publish
// operator revisions, read how far detection is behind. And nothing it should not: SENSORS (but the
// detectors consumer's info) and sensor subjects are refused. And the pipeline under its own users: a gateway
// publishes, ingest stores, the detectors raise alerts.

const USERS = ['GATEWAY', 'SIMULATOR', 'MIGRATE', 'INGEST', 'DETECTORS', 'CONSOLE', 'SYS'] as const;
const passwords = Object.fromEntries(USERS.map((u) => [`${u}_NATS_PASSWORD`, `w${u.toLowerCase()}Pw12345`]));

let server: ChildProcess;
let storeDir: string;
let url: string;
let db: TestDatabase;
let pool: Pool;
let consoleRuntime: RunningSystem;
let detectorsNc: NatsConnection;
let consoleNc: NatsConnection;
/** The provisioning user (the whole JetStream API), to inspect the stream. */
let migrateNc: NatsConnection;
let base: string;

const configFor = (user: string, env: Record<string, string> = {}) =>
  loadConfig({
    DATABASE_URL: db.url,
    NATS_URL: url,
    NATS_USER: user,
    NATS_PASSWORD: passwords[`${user.toUpperCase()}_NATS_PASSWORD`]!,
    PORT: '0',
    LOG_LEVEL: 'error',
    LOG_PRETTY: 'false',
    ...env,
  });

beforeAll(async () => {
  const port = await freePort();
  const monitor = await freePort();
  storeDir = mkdtempSync(join(tmpdir(), 'wachtpost-nats-conf-'));
  // The deployment's file as it is, but for where it stores (nats-server refuses -sd beside a store_dir);
  // -a, -p and -m override where it listens.
  const conf = readFileSync(join(REPO_ROOT, 'deploy/nats/nats.conf'), 'utf8');
  expect(conf).toMatch(/store_dir: \/data\n/);
  const confFile = join(storeDir, 'nats.conf');
  writeFileSync(confFile, conf.replace(/store_dir: \/data\n/, `store_dir: "${storeDir}"\n`));
  const args = ['-c', confFile, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)];
  server = spawn('nats-server', args, { env: { ...process.env, ...passwords }, stdio: 'ignore' });
  await waitForPort(port);
  url = `nats://127.0.0.1:${port}`;
  db = await createTestDatabase();
  await migrate(db.url, quietLog);
  migrateNc = await connectNats(configFor('migrate'), quietLog, 'test-migrate');
  await provisionJetStream(migrateNc, configFor('migrate'), quietLog);

  consoleRuntime = await runServices([consoleService], {
    // As docker-compose.yml runs it: the Simulator page publishes as the simulator user.
    config: configFor('console', {
      WACHTPOST_ADMIN_PASSWORD: PASSWORD,
      SIMULATOR_NATS_USER: 'simulator',
      SIMULATOR_NATS_PASSWORD: passwords.SIMULATOR_NATS_PASSWORD!,
    }),
    log: quietLog,
    installSignalHandlers: false,
  });
  base = `http://127.0.0.1:${consoleRuntime.ctx.http.port}`;
  pool = createPool(configFor('console'), db.url, quietLog);
  detectorsNc = await connectNats(configFor('detectors'), quietLog, 'test-detectors');
  consoleNc = await connectNats(configFor('console'), quietLog, 'test-console-user');
});

afterAll(async () => {
  await consoleRuntime?.shutdown();
  await detectorsNc?.close();
  await consoleNc?.close();
  await migrateNc?.close();
  await pool?.end();
  server?.kill('SIGKILL');
  await db?.drop();
  if (storeDir) rmSync(storeDir, { recursive: true, force: true });
});

/** Stores and publishes an alert as the detectors do, with the detectors' NATS user. */
async function raise(alert: Alert): Promise<number> {
  await storeAlertRows(pool, alert);
  const ack = await jetstream(detectorsNc).publish(
    alertSubject(alert.siteId, alert.wingId),
    new TextEncoder().encode(JSON.stringify(alert)),
    { msgID: `${alert.alertId}:${alert.rev}` },
  );
  return ack.seq;
}

/** Signs in to the console as admin and returns the session cookie. */
async function adminCookie(): Promise<string> {
  const login = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  return (login.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Ingest and the detectors as their own NATS users, for the length of `use`. */
async function withPipeline(use: () => Promise<void>): Promise<void> {
  const pipeline = await Promise.all(
    (['ingest', 'detectors'] as const).map((user) =>
      runServices([user === 'ingest' ? ingestService : detectorsService], {
        config: configFor(user),
        log: quietLog,
        installSignalHandlers: false,
      }),
    ),
  );
  try {
    await use();
    for (const system of pipeline) {
      const ready = await fetch(`http://127.0.0.1:${system.ctx.http.port}/readyz`);
      expect(await ready.json()).toMatchObject({ ready: true });
    }
  } finally {
    for (const system of pipeline) await system.shutdown();
  }
}

describe('the console with its NATS user from deploy/nats/nats.conf', () => {
  it('pushes alerts live, publishes an acknowledge, and replays from a sequence', async () => {
    const cookie = await adminCookie();
    const live = await connectLive(base, cookie);
    const alert = makeAlert();
    const seq = await raise(alert);
    await live.waitForSeq(seq);
    expect(live.pushes.map((p) => p.alert.alertId)).toContain(alert.alertId);

    const ack = await fetch(`${base}/api/alerts/${encodeURIComponent(alert.alertId)}/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{}',
    });
    expect(ack.status).toBe(200);
    // Published by the console itself (not left in the outbox for lack of a right), and pushed back.
    await waitFor(
      async () => live.pushes.some((p) => p.alert.alertId === alert.alertId && p.alert.rev === 2),
      10_000,
      'the acknowledge pushed',
    );
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_outbox');
    expect(rows[0]!.n).toBe(0);
    expect((await streamRevision(migrateNc, alert.alertId, 2))?.headers['Wachtpost-Action']).toBe(
      'acknowledge',
    );
    live.close();

    // Resume from before the alert: an ordered consumer from a sequence.
    const resumed = await connectLive(base, cookie, { afterSeq: seq - 1 });
    await resumed.waitForSeq(seq + 1);
    expect(resumed.pushes.map((p) => [p.alert.alertId, p.alert.rev])).toEqual([
      [alert.alertId, 1],
      [alert.alertId, 2],
    ]);
    resumed.close();
  });

  it('refuses the console user the SENSORS stream and sensor subjects, but for how far detection is behind', async () => {
    const jsm = await jetstreamManager(consoleNc, { timeout: 2000 });
    // The pipeline health on the board reads the detectors' consumer: its counts, not its messages.
    expect((await jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER)).name).toBe(DETECTORS_CONSUMER);
    await expect(jsm.consumers.info(SENSORS_STREAM, INGEST_CONSUMER)).rejects.toThrow();
    await expect(jsm.streams.info(SENSORS_STREAM)).rejects.toThrow();
    await expect(jsm.streams.delete(ALERTS_STREAM)).rejects.toThrow();
    await expect(
      jetstream(consoleNc, { timeout: 2000 }).publish('sensors.v1.demo.gsm.gsm-a-1', '{}'),
    ).rejects.toThrow();
    // Still allowed afterwards: the stream it reads.
    expect((await jsm.streams.info(ALERTS_STREAM)).config.name).toBe(ALERTS_STREAM);
  });

  it('runs ingest and the detectors with their own users: a gateway event is stored and raises its alerts', async () => {
    await withPipeline(async () => {
      const gatewayNc = await connectNats(configFor('gateway'), quietLog, 'test-gateway');
      try {
        const scenario = droneDropScenario();
        const gateway = jetstream(gatewayNc);
        for (const m of scenario.events.map((e) => messageOf(e)))
          await gateway.publish(m.subject, m.data, { msgID: m.msgId });
        await waitFor(
          async () => {
            const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sensor_events');
            return rows[0]!.n === scenario.events.length;
          },
          15_000,
          'ingest to store every event',
        );
        await waitFor(
          async () => {
            const { rows } = await pool.query<{ rule: string }>('SELECT rule FROM alerts');
            const rules = new Set(rows.map((r) => r.rule));
            return scenario.expected.every((e) => rules.has(e.rule));
          },
          15_000,
          'the detectors to raise the scenario alerts',
        );
      } finally {
        await gatewayNc.close();
      }
    });
  }, 60_000);

  it("runs a scenario from the console's Simulator page as the simulator user: published, stored, judged", async () => {
    const cookie = await adminCookie();
    const sim = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}/api/simulator${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return {
        status: res.status,
        body: (await res.json()) as {
          phase: string;
          summary?: Record<string, number>;
          counters: { published: number; publishErrors: number };
        },
      };
    };
    await withPipeline(async () => {
      expect(
        (await sim('POST', '/start', { siteId: 'demo', scenario: 'drone-drop', speed: 20_000 })).status,
      ).toBe(200);
      const done = await waitFor(
        async () => {
          const { body } = await sim('GET', '');
          return body.phase === 'finished' && body;
        },
        60_000,
        'the scenario to finish',
      );
      // Sensor events the console user may not publish, and the run's alerts read from ALERTS.
      expect(done.counters.publishErrors).toBe(0);
      expect(done.counters.published).toBeGreaterThan(0);
      expect(done.summary).toEqual({ met: 3, late: 0, missed: 0, pending: 0 });
    });
  }, 90_000);
});
