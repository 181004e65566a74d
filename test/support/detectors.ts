import { spawn, type ChildProcess } from 'node:child_process';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import {
  ALERTS_STREAM,
  Alert,
  DETECTORS_CONSUMER,
  SENSORS_STREAM,
  type SensorEventInput,
} from '@wachtpost/contracts';
import { DetectorsWorker, type DetectorsWorkerOptions } from '@wachtpost/detectors';
import { REPO_ROOT, createPool, createRegistry, type Pool, type Registry } from '@wachtpost/platform';
import { demoSites, messageOf } from './events';
import { quietLog, startIngestHarness, waitFor, type IngestHarness } from './harness';

/** A row of the alerts table, as the tests compare it. */
export interface StoredAlert {
  alertId: string;
  rev: number;
  rule: string;
  severity: string;
  status: string;
  exercise: boolean;
  body: Alert;
}

/** One message of the ALERTS stream. */
export interface PublishedAlert {
  subject: string;
  msgId: string | undefined;
  alert: Alert;
}

/** A service process of its own (the production entry point), to kill with SIGKILL like a crash. */
export interface DetectorsChild {
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The ingest harness (private NATS and database, migrated and provisioned) plus detectors: workers in this
 * process or in child processes, and readers of what they stored and published.
 */
export interface DetectorsHarness extends IngestHarness {
  js: JetStreamClient;
  jsm: JetStreamManager;
  publishEvents(events: readonly SensorEventInput[]): Promise<void>;
  startDetectors(
    overrides?: Partial<DetectorsWorkerOptions>,
  ): Promise<{ worker: DetectorsWorker; registry: Registry; pool: Pool }>;
  stopDetectors(): Promise<void>;
  startDetectorsProcess(env?: Record<string, string>): DetectorsChild;
  /** Any service's entry point (e.g. `ingest/src/main.ts`) as a process of its own on this harness. */
  startServiceProcess(entry: string, env?: Record<string, string>): DetectorsChild;
  /** Waits until the detectors consumer has nothing pending or unacknowledged and the outbox is empty. */
  waitDetectorsIdle(timeoutMs?: number): Promise<void>;
  alerts(filter?: { exercise?: boolean }): Promise<StoredAlert[]>;
  history(): Promise<{ alertId: string; rev: number; change: string; body: Alert }[]>;
  published(): Promise<PublishedAlert[]>;
}

export async function startDetectorsHarness(): Promise<DetectorsHarness> {
  const h = await startIngestHarness();
  const js = jetstream(h.nc);
  const jsm = await jetstreamManager(h.nc);
  const workers: { worker: DetectorsWorker; pool: Pool }[] = [];
  const children: DetectorsChild[] = [];

  const stopDetectors = async () => {
    for (const { worker, pool } of workers.splice(0)) {
      await worker.stop();
      await pool.end();
    }
  };

  const startServiceProcess = (entry: string, env: Record<string, string> = {}): DetectorsChild => {
    let output = '';
    // WACHTPOST_CPU_PROFILE_DIR: each child writes a V8 CPU profile there when it exits (not on SIGKILL).
    const profileDir = process.env.WACHTPOST_CPU_PROFILE_DIR;
    const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...h.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const handle: DetectorsChild = {
      child,
      output: () => output,
      // Profiled children stop gracefully by default, so their profile is written.
      kill: (signal = profileDir ? 'SIGTERM' : 'SIGKILL') =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill(signal);
        }),
    };
    children.push(handle);
    return handle;
  };

  return {
    ...h,
    js,
    jsm,
    async publishEvents(events) {
      await h.publish(events.map((e) => messageOf(e)));
    },
    async startDetectors(overrides = {}) {
      const registry = createRegistry();
      const pool = createPool(h.config, h.db.url, quietLog);
      const worker = new DetectorsWorker({
        nc: h.nc,
        pool,
        sites: demoSites,
        registry,
        log: quietLog,
        ...h.config.detectors,
        retentionMs: h.config.sensors.retentionMs,
        ackWaitMs: h.config.sensors.ackWaitMs,
        // Scenario traffic is exercise traffic in the past; live sensors expected from now would page
        // after a few minutes of wall time and have nothing to do with the story.
        expectSensors: false,
        ...overrides,
      });
      await worker.start();
      workers.push({ worker, pool });
      return { worker, registry, pool };
    },
    stopDetectors,
    startDetectorsProcess(env = {}) {
      return startServiceProcess('detectors/src/main.ts', env);
    },
    startServiceProcess,
    async waitDetectorsIdle(timeoutMs = 60_000) {
      await waitFor(
        async () => {
          const info = await jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
          if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
          const { rows } = await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_outbox');
          return rows[0]!.n === 0;
        },
        timeoutMs,
        'the detectors to correlate, publish and acknowledge everything',
      );
    },
    async alerts(filter = {}) {
      const { rows } = await h.pool.query<{
        alert_id: string;
        rev: number;
        rule: string;
        severity: string;
        status: string;
        exercise: boolean;
        body: Alert;
      }>(
        `SELECT alert_id, rev, rule, severity, status, exercise, body FROM alerts
         WHERE $1::boolean IS NULL OR exercise = $1 ORDER BY alert_id`,
        [filter.exercise ?? null],
      );
      return rows.map((r) => ({
        alertId: r.alert_id,
        rev: r.rev,
        rule: r.rule,
        severity: r.severity,
        status: r.status,
        exercise: r.exercise,
        body: r.body,
      }));
    },
    async history() {
      const { rows } = await h.pool.query<{ alert_id: string; rev: number; change: string; body: Alert }>(
        'SELECT alert_id, rev, change, body FROM alert_history ORDER BY alert_id, rev',
      );
      return rows.map((r) => ({ alertId: r.alert_id, rev: r.rev, change: r.change, body: r.body }));
    },
    async published() {
      const info = await jsm.streams.info(ALERTS_STREAM);
      const out: PublishedAlert[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const m = await jsm.streams.getMessage(ALERTS_STREAM, { seq });
        if (!m) continue;
        out.push({
          subject: m.subject,
          msgId: m.header.get('Nats-Msg-Id') || undefined,
          alert: Alert.parse(m.json()),
        });
      }
      return out;
    },
    async close() {
      for (const child of children) await child.kill();
      await stopDetectors().catch(() => undefined);
      await h.close();
    },
  };
}

/** The state of each alert after the last of its revisions on the stream. */
export function latestPublished(published: readonly PublishedAlert[]): Map<string, Alert> {
  const latest = new Map<string, Alert>();
  for (const { alert } of published) {
    const seen = latest.get(alert.alertId);
    if (!seen || seen.rev < alert.rev) latest.set(alert.alertId, alert);
  }
  return latest;
}
