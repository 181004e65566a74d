import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from '@wachtpost/console';
import type { AlertPush, Role } from '@wachtpost/console';
import { ALERTS_STREAM, alertSubject, type Alert } from '@wachtpost/contracts';
import {
  connectNats,
  createPool,
  loadConfig,
  migrate,
  provisionJetStream,
  runServices,
  type Config,
  type NatsConnection,
  type Pool,
  type RunningSystem,
} from '@wachtpost/platform';
import type { PoolClient } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, type TestDatabase } from './database';
import { quietLog, waitFor } from './harness';
import { startNatsServer, type TestNatsServer } from './nats-server';

export const PASSWORD = 'correct horse battery staple';

export interface RunningConsole {
  base: string;
  port: number;
  system: RunningSystem;
  server: ConsoleServer;
  /** What the server printed (the generated admin password). */
  printed: string[];
  stop(): Promise<void>;
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A private NATS and database, migrated and provisioned, and console servers on demand. */
export interface ConsoleHarness {
  nats: TestNatsServer;
  db: TestDatabase;
  config: Config;
  nc: NatsConnection;
  js: JetStreamClient;
  pool: Pool;
  startConsole(options?: ConsoleServerOptions & { env?: Record<string, string> }): Promise<RunningConsole>;
  /** Creates a user with PASSWORD (or the one given). */
  addUser(username: string, role: Role, password?: string): Promise<void>;
  /** Logs in and returns the session cookie (`name=value`). */
  login(base: string, username: string, password?: string): Promise<string>;
  api<T = Record<string, unknown>>(
    base: string,
    cookie: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    /** Extra request headers (say `x-forwarded-for` behind a trusted proxy). */
    headers?: Record<string, string>,
  ): Promise<ApiAnswer<T>>;
  /**
   * Seeds an alert the way the detectors store and publish one (alerts + alert_history rows, then ALERTS with
   * the message id `<alertId>:<rev>`), for tests that must not depend on the detectors runtime. Returns the
   * stream sequence.
   */
  seedAlert(alert: Alert): Promise<number>;
  close(): Promise<void>;
}

let counter = 0;

/** A contract Alert with sensible fields; `overrides` change any of them. */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  const at = new Date().toISOString();
  counter++;
  return {
    v: 1,
    alertId: `demo:test:${process.pid}-${counter}`,
    rev: 1,
    rule: 'contraband-delivery',
    severity: 'high',
    status: 'open',
    siteId: 'demo',
    wingId: 'a',
    cellIds: ['a-01'],
    detaineeIds: ['d-0001'],
    sensorIds: ['gsm-a-1', 'radar-1'],
    title: 'Drone at wing A',
    summary: 'A drone hovered at the wing A facade.',
    firstEventAt: at,
    lastEventAt: at,
    count: 1,
    evidence: ['evt-1'],
    openedAt: at,
    updatedAt: at,
    exercise: false,
    ...overrides,
  };
}

/**
 * Writes an alert revision's rows as the detectors do, without publishing it: the current state in `alerts`
 * (upserted, so a later revision replaces it) and one `alert_history` row (`opened` for rev 1, else `updated`).
 * `historyAt` is that row's time, which `alerts_15m` buckets by; the revision's `updatedAt` unless given.
 * `late` and `incomplete` are the history row's marks, as the detectors set them for a change.
 */
export async function storeAlertRows(
  db: Pool | PoolClient,
  alert: Alert,
  options: { historyAt?: string; late?: boolean; incomplete?: string[] } = {},
): Promise<void> {
  const body = JSON.stringify(alert);
  await db.query(
    `INSERT INTO alerts (alert_id, rev, rule, severity, status, site_id, wing_id, exercise, first_event_at,
                         last_event_at, opened_at, updated_at, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)
     ON CONFLICT (alert_id) DO UPDATE SET rev = EXCLUDED.rev, status = EXCLUDED.status,
       severity = EXCLUDED.severity, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body`,
    [
      alert.alertId,
      alert.rev,
      alert.rule,
      alert.severity,
      alert.status,
      alert.siteId,
      alert.wingId ?? null,
      alert.exercise,
      alert.firstEventAt,
      alert.lastEventAt,
      alert.openedAt,
      alert.updatedAt,
      body,
    ],
  );
  await db.query(
    `INSERT INTO alert_history (alert_id, rev, change, rule, severity, status, site_id, exercise, updated_at, body,
                                late, incomplete)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)`,
    [
      alert.alertId,
      alert.rev,
      alert.rev === 1 ? 'opened' : 'updated',
      alert.rule,
      alert.severity,
      alert.status,
      alert.siteId,
      alert.exercise,
      options.historyAt ?? alert.updatedAt,
      body,
      options.late ?? false,
      options.incomplete ?? null,
    ],
  );
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const baseEnv = {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    PORT: '0',
    LOG_LEVEL: 'error',
    LOG_PRETTY: 'false',
    WACHTPOST_ADMIN_PASSWORD: PASSWORD,
    // Tests seed fixed 2026 dates: the plain-PostgreSQL retention job must not age them out as years pass.
    HISTORY_RETENTION_DAYS: '36500',
  };
  const config = loadConfig(baseEnv);
  await migrate(db.url, quietLog);
  const nc = await connectNats(config, quietLog, 'test-console');
  await provisionJetStream(nc, config, quietLog);
  const js = jetstream(nc);
  const pool = createPool(config, db.url, quietLog);
  const running: RunningConsole[] = [];

  const api: ConsoleHarness['api'] = async (base, cookie, method, path, body, headers = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...headers,
        ...(cookie && { cookie }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : {}) as never,
      headers: res.headers,
    };
  };

  return {
    nats,
    db,
    config,
    nc,
    js,
    pool,
    async startConsole(options = {}) {
      const printed: string[] = [];
      const { env, ...serverOptions } = options;
      let server: ConsoleServer | undefined;
      const system = await runServices(
        [
          {
            name: 'console',
            start: async (ctx) =>
              (server = await startConsoleServer(ctx, {
                print: (text) => printed.push(text),
                ...serverOptions,
              })),
          },
        ],
        { config: loadConfig({ ...baseEnv, ...env }), log: quietLog, installSignalHandlers: false },
      );
      const port = system.ctx.http.port;
      const handle: RunningConsole = {
        base: `http://127.0.0.1:${port}`,
        port,
        system,
        server: server!,
        printed,
        stop: async () => {
          running.splice(running.indexOf(handle), 1);
          await system.shutdown();
        },
      };
      running.push(handle);
      return handle;
    },
    async addUser(username, role, password = PASSWORD) {
      const { createUser } = await import('@wachtpost/console');
      await createUser(pool, { username, password, role });
    },
    async login(base, username, password = PASSWORD) {
      const res = await api(base, undefined, 'POST', '/api/session', { username, password });
      if (res.status !== 200)
        throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      const cookie = res.headers.get('set-cookie') ?? '';
      return cookie.split(';')[0]!;
    },
    api,
    async seedAlert(alert) {
      const body = JSON.stringify(alert);
      await storeAlertRows(pool, alert);
      const ack = await js.publish(alertSubject(alert.siteId, alert.wingId), new TextEncoder().encode(body), {
        msgID: `${alert.alertId}:${alert.rev}`,
      });
      return ack.seq;
    },
    async close() {
      for (const c of [...running]) await c.stop();
      await nc.drain();
      await pool.end();
      await nats.stop();
      await db.drop();
    },
  };
}

/** The last message on ALERTS for an alert id and rev, as stored in the stream, with its headers. */
export async function streamRevision(
  nc: NatsConnection,
  alertId: string,
  rev: number,
): Promise<{ alert: Alert; headers: Record<string, string> } | undefined> {
  const jsm = await jetstreamManager(nc);
  const { state } = await jsm.streams.info(ALERTS_STREAM);
  for (let seq = state.last_seq; seq >= state.first_seq && seq > 0; seq--) {
    const m = await jsm.streams.getMessage(ALERTS_STREAM, { seq });
    if (!m) continue;
    const alert = m.json<Alert>();
    if (alert.alertId === alertId && alert.rev === rev) {
      const headers: Record<string, string> = {};
      for (const [k, v] of m.header ?? []) headers[k] = v.join(',');
      return { alert, headers };
    }
  }
  return undefined;
}

/** A push as the tests read it: the contract Alert apart from the console's fields beside it. */
export interface ReceivedPush extends Omit<AlertPush, keyof Alert> {
  alert: Alert;
}

/** Splits an `alert` payload (the contract Alert, the console's fields beside its own) as the board does. */
export function receivedPush(payload: AlertPush): ReceivedPush {
  const { seq, console: fields, action, ...alert } = payload;
  return { seq, alert, console: fields, ...(action && { action }) };
}

/** A socket.io client that records every push, as a browser tab would. */
export interface LiveClient {
  socket: Socket;
  pushes: ReceivedPush[];
  /** The `alert` payloads as they came. */
  payloads: AlertPush[];
  events: { name: string; payload: unknown }[];
  /** The last sequence seen (alert or ready). */
  lastSeq(): number;
  waitForSeq(seq: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function connectLive(
  base: string,
  cookie: string | undefined,
  auth: { siteId?: string; wingId?: string; afterSeq?: number } = {},
): Promise<LiveClient> {
  const socket = io(base, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: cookie ? { cookie } : {},
    auth,
  });
  const pushes: ReceivedPush[] = [];
  const payloads: AlertPush[] = [];
  const events: { name: string; payload: unknown }[] = [];
  let last = auth.afterSeq ?? 0;
  socket.on('alert', (payload: AlertPush) => {
    payloads.push(payload);
    pushes.push(receivedPush(payload));
    last = Math.max(last, payload.seq);
  });
  socket.onAny((name: string, payload: unknown) => {
    events.push({ name, payload });
    if (name === 'ready') last = Math.max(last, (payload as { seq: number }).seq);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return {
    socket,
    pushes,
    payloads,
    events,
    lastSeq: () => last,
    waitForSeq: (seq, timeoutMs = 5000) =>
      waitFor(async () => last >= seq, timeoutMs, `socket to reach seq ${seq} (at ${last})`).then(
        () => undefined,
      ),
    close: () => void socket.close(),
  };
}
