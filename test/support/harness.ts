import { jetstream } from '@nats-io/jetstream';
import { IngestWorker, type IngestWorkerOptions } from '@wachtpost/ingest';
import {
  connectNats,
  createLogger,
  createPool,
  createRegistry,
  loadConfig,
  migrate,
  provisionJetStream,
  type Config,
  type Logger,
  type NatsConnection,
  type Pool,
  type Registry,
} from '@wachtpost/platform';
import { createTestDatabase, type TestDatabase } from './database';
import { demoSites, type OutgoingMessage } from './events';
import { startNatsServer, type TestNatsServer } from './nats-server';

export const quietLog = createLogger({
  log: { level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'error', pretty: false },
});

/** A logger that keeps what it is given (`log.warn(fields, msg)` or `log.warn(msg)`): what an operator would read. */
export function capturingLog() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown> | string, msg?: string) =>
    void lines.push(typeof fields === 'string' ? { level, msg: fields } : { level, msg: msg ?? '', fields });
  const log = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => log,
  } as unknown as Logger;
  return { log, lines };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until a worker's readiness fails and returns why (a worker is anything with `ready()`). */
export const notReadyReason = (worker: { ready(): Promise<void> }, timeoutMs = 10_000): Promise<string> =>
  waitFor(
    () =>
      worker.ready().then(
        () => false,
        (err: Error) => err.message,
      ),
    timeoutMs,
    'readiness to fail',
  );

/**
 * A private NATS server and database, migrated and provisioned, with a publisher and workers on demand.
 * Everything real; nothing shared with other test files.
 */
export interface IngestHarness {
  nats: TestNatsServer;
  db: TestDatabase;
  config: Config;
  nc: NatsConnection;
  /** A pool for the test's own queries. */
  pool: Pool;
  env: Record<string, string>;
  publish(messages: OutgoingMessage[], window?: number): Promise<void>;
  startWorker(
    overrides?: Partial<IngestWorkerOptions>,
  ): Promise<{ worker: IngestWorker; registry: Registry; pool: Pool }>;
  /** Stops and forgets the workers started so far, so the next test's metrics are its own. */
  stopWorkers(): Promise<void>;
  counts(): Promise<{ events: number; rejected: Record<string, number> }>;
  close(): Promise<void>;
}

export async function startIngestHarness(): Promise<IngestHarness> {
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  // A short ack wait so a killed worker's messages move on within seconds, not the production 30 s.
  const env = {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    PORT: '0',
    LOG_LEVEL: 'error',
    LOG_PRETTY: 'false',
    SENSORS_ACK_WAIT_S: '5',
  };
  const config = loadConfig(env);
  await migrate(db.url, quietLog);
  const nc = await connectNats(config, quietLog, 'test-harness');
  await provisionJetStream(nc, config, quietLog);
  const pool = createPool(config, db.url, quietLog);
  const js = jetstream(nc);
  const workers: { worker: IngestWorker; pool: Pool }[] = [];

  const stopWorkers = async () => {
    for (const { worker, pool: p } of workers.splice(0)) {
      await worker.stop();
      await p.end();
    }
  };

  return {
    nats,
    db,
    config,
    nc,
    pool,
    env,
    async publish(messages, window = 1000) {
      for (let i = 0; i < messages.length; i += window) {
        await Promise.all(
          messages
            .slice(i, i + window)
            .map((m) => js.publish(m.subject, m.data, m.msgId ? { msgID: m.msgId } : {})),
        );
      }
    },
    async startWorker(overrides = {}) {
      const registry = createRegistry();
      const workerPool = createPool(config, db.url, quietLog);
      const worker = new IngestWorker({
        nc,
        pool: workerPool,
        sites: demoSites,
        registry,
        log: quietLog,
        ...config.ingest,
        retentionMs: config.sensors.retentionMs,
        ackWaitMs: config.sensors.ackWaitMs,
        ...overrides,
      });
      await worker.start();
      workers.push({ worker, pool: workerPool });
      return { worker, registry, pool: workerPool };
    },
    stopWorkers,
    async counts() {
      const events = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sensor_events');
      const rejected = await pool.query<{ reason: string; n: number }>(
        'SELECT reason, count(*)::int AS n FROM rejected_events GROUP BY reason',
      );
      return {
        events: events.rows[0]!.n,
        rejected: Object.fromEntries(rejected.rows.map((r) => [r.reason, r.n])),
      };
    },
    async close() {
      await stopWorkers().catch(() => undefined);
      await nc.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await nats.stop();
      await db.drop();
    },
  };
}

/** Reads one sample of a Prometheus metric from a registry, e.g. metricValue(r, 'wachtpost_ingest_events_total', { result: 'accepted' }). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((v) =>
    Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val),
  );
  return sample?.value ?? 0;
}
