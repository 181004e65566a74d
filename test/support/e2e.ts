import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { createUser, startConsoleServer, type ConsoleServer, type Role } from '@wachtpost/console';
import type { SensorEventInput } from '@wachtpost/contracts';
import { DetectorsWorker } from '@wachtpost/detectors';
import { ingestService } from '@wachtpost/ingest';
import {
  REPO_ROOT,
  connectNats,
  createPool,
  loadConfig,
  runServices,
  type NatsConnection,
  type Pool,
  type RunningSystem,
  type Service,
} from '@wachtpost/platform';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database';
import { messageOf } from './events';
import { quietLog, waitFor } from './harness';
import { freePort, startNatsServer, type TestNatsServer } from './nats-server';
import { alertIdOf, droneReport } from './scenarios';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts', 'e2e');
export const PASSWORD = 'correct horse battery staple';
export const ACTION_BUTTONS = ['Acknowledge', 'Assign to me', 'Add note', 'Resolve', 'Silence'] as const;

/** One user per role, all with PASSWORD. */
export const USERS: Record<Role, string> = {
  admin: 'admin',
  operator: 'olga',
  analyst: 'anton',
  tester: 'tess',
};

export interface Signed {
  context: BrowserContext;
  page: Page;
}

/**
 * What the browser tests run against: a private nats-server and database, and two runtimes in this process:
 * the pipeline (ingest + detectors) and the console (API, live push, the built web app) on a fixed port, so
 * the console can be stopped and started again while the pipeline keeps raising alerts and a page keeps the
 * same address. One Chromium for the file.
 */
export interface E2eHarness {
  base: string;
  nats: TestNatsServer;
  db: TestDatabase;
  nc: NatsConnection;
  js: JetStreamClient;
  pool: Pool;
  browser: Browser;
  startConsole(): Promise<void>;
  stopConsole(): Promise<void>;
  startPipeline(): Promise<void>;
  stopPipeline(): Promise<void>;
  /** Publishes sensor events as a gateway does (JetStream, Nats-Msg-Id = eventId). */
  publish(events: readonly SensorEventInput[]): Promise<void>;
  /**
   * A drone report over wing A that completes `drone-incursion` on arrival; returns the alert id it raises.
   * Each call is a new track six minutes of event time after the last, so no two fuse into one incident.
   */
  publishDrone(label: string): Promise<string>;
  /**
   * A drone hovering over wing A for 40 s of event time (nine reports): a drop, `drone-drop` (critical) beside
   * `drone-incursion`. Returns the drone-drop alert id.
   */
  publishDroneDrop(label: string): Promise<string>;
  /** Waits until the detectors stored an alert. */
  waitForStoredAlert(alertId: string, timeoutMs?: number): Promise<void>;
  /**
   * Waits until the console has a live socket (subscribed, past its `ready`) of the role's user that connected
   * at or after `since` (ms): the page opened then can receive pushes. Sockets of closed pages that the server
   * has not noticed yet (a polling transport lingers until its ping timeout) do not count.
   */
  waitForLiveSocket(role: Role, since: number, timeoutMs?: number): Promise<void>;
  /** A fresh browser context signed in as the role's user (through the API, sharing the context's cookies). */
  signIn(role: Role): Promise<Signed>;
  /** A fresh browser context, not signed in. */
  anonymous(): Promise<Signed>;
  /**
   * Uncaught exceptions of the pages and what Chromium refused under the console's CSP since the last call
   * (failed requests while the console is down are expected and not collected).
   */
  takePageProblems(): string[];
  /** Screenshots of every open page, named after a failed test, for its diagnosis. */
  screenshotAll(name: string): Promise<void>;
  /** Closes every browser context opened so far (their sockets go with them). */
  closeContexts(): Promise<void>;
  /** A screenshot of the page in test/artifacts/e2e/<name>.png; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

// Scenario traffic is exercise traffic on event time only, so live-sensor expectations (an outage alert after
// minutes of wall-clock silence) would only clutter the board; the detectors harness does the same.
const detectorsForTests: Service = {
  name: 'detectors',
  async start({ nc, pool, sites, registry, log, config }) {
    const worker = new DetectorsWorker({
      nc,
      pool,
      sites,
      registry,
      log,
      ...config.detectors,
      retentionMs: config.sensors.retentionMs,
      ackWaitMs: config.sensors.ackWaitMs,
      expectSensors: false,
    });
    await worker.start();
    return { stop: () => worker.stop(), ready: () => worker.ready() };
  },
};

const OVER_WING_A = { lat: 51.662, lon: 5.287, altM: 60 };

export async function startE2eHarness(): Promise<E2eHarness> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const nats = await startNatsServer();
  const db = await createTestDatabase('wp_e2e');
  const port = await freePort();
  const env = {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    LOG_PRETTY: 'false',
    WACHTPOST_ADMIN_PASSWORD: PASSWORD,
    // Tests seed fixed 2026 dates: the plain-PostgreSQL retention job must not age them out as years pass.
    HISTORY_RETENTION_DAYS: '36500',
  };
  const consoleConfig = () => loadConfig({ ...env, PORT: String(port) });
  const pipelineConfig = () => loadConfig({ ...env, PORT: '0' });

  let pipeline: RunningSystem | undefined;
  let consoleRuntime: RunningSystem | undefined;
  let consoleServer: ConsoleServer | undefined;
  const consoleService: Service = {
    name: 'console',
    // Detection counts as stopped after 4 s without progress (60 s in production), so a test can see it.
    start: async (ctx) =>
      (consoleServer = await startConsoleServer(ctx, {
        health: { checkEveryMs: 500, stalledAfterMs: 4000 },
      })),
  };
  const startPipeline = async () => {
    // setup: migrations and streams, as pnpm start does.
    pipeline ??= await runServices([ingestService, detectorsForTests], {
      config: pipelineConfig(),
      log: quietLog,
      setup: true,
      installSignalHandlers: false,
    });
  };
  const startConsole = async () => {
    consoleRuntime ??= await runServices([consoleService], {
      config: consoleConfig(),
      log: quietLog,
      installSignalHandlers: false,
    });
  };
  await startPipeline();
  await startConsole();

  const config = consoleConfig();
  const nc = await connectNats(config, quietLog, 'test-e2e');
  const js = jetstream(nc);
  const pool = createPool(config, db.url, quietLog);
  for (const [role, username] of Object.entries(USERS) as [Role, string][])
    if (role !== 'admin') await createUser(pool, { username, password: PASSWORD, role });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const base = `http://127.0.0.1:${port}`;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];
  const fresh = async (): Promise<Signed> => {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    context.on('weberror', (e) => problems.push(`uncaught: ${e.error().message}`));
    context.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text()))
        problems.push(`csp: ${m.text()}`);
    });
    const page = await context.newPage();
    return { context, page };
  };

  // Exercise event time, from three hours ago, six minutes per drone (drone-incursion fuses tracks within
  // 30 s and 200 m into one incident; the exercise lane wants event time to move forward).
  let droneClock = Date.now() - 3 * 3_600_000;
  let droneCount = 0;

  const publish = async (events: readonly SensorEventInput[]) => {
    for (const m of events.map((e) => messageOf(e)))
      await js.publish(m.subject, m.data, m.msgId ? { msgID: m.msgId } : {});
  };

  return {
    base,
    nats,
    db,
    nc,
    js,
    pool,
    browser,
    startConsole,
    async stopConsole() {
      const running = consoleRuntime;
      consoleRuntime = undefined;
      consoleServer = undefined;
      await running?.shutdown();
    },
    startPipeline,
    async stopPipeline() {
      const running = pipeline;
      pipeline = undefined;
      await running?.shutdown();
    },
    publish,
    async publishDrone(label) {
      droneClock += 6 * 60_000;
      droneCount++;
      const trackId = `trk-e2e-${droneCount}-${label}`;
      await publish([
        droneReport(`e2e-drone-${droneCount}-${label}`, droneClock, trackId, OVER_WING_A, 4, 'start'),
      ]);
      return alertIdOf({ rule: 'drone-incursion', key: `radar-1/${trackId}` });
    },
    async publishDroneDrop(label) {
      droneClock += 6 * 60_000;
      droneCount++;
      const trackId = `trk-e2e-${droneCount}-${label}`;
      const start = droneClock;
      await publish(
        Array.from({ length: 9 }, (_, i) =>
          droneReport(
            `e2e-drone-${droneCount}-${label}-${i}`,
            start + i * 5000,
            trackId,
            OVER_WING_A,
            0.3,
            i === 0 ? 'start' : 'update',
          ),
        ),
      );
      return alertIdOf({ rule: 'drone-drop', key: `radar-1/${trackId}` });
    },
    async waitForStoredAlert(alertId, timeoutMs = 10_000) {
      await waitFor(
        async () => (await pool.query('SELECT 1 FROM alerts WHERE alert_id = $1', [alertId])).rowCount === 1,
        timeoutMs,
        `the detectors to store ${alertId}`,
      );
    },
    async waitForLiveSocket(role, since, timeoutMs = 15_000) {
      await waitFor(
        async () => {
          for (const socket of consoleServer?.hub.io.of('/').sockets.values() ?? []) {
            const data = socket.data as { user?: { username: string }; mode?: string } | undefined;
            if (
              data?.user?.username === USERS[role] &&
              data.mode === 'live' &&
              socket.handshake.issued >= since
            )
              return true;
          }
          return false;
        },
        timeoutMs,
        `a live socket of ${USERS[role]} since ${new Date(since).toISOString()}`,
      );
    },
    async signIn(role) {
      const signed = await fresh();
      const res = await signed.context.request.post('/api/session', {
        data: { username: USERS[role], password: PASSWORD },
      });
      if (!res.ok()) throw new Error(`signing in ${USERS[role]} failed: ${res.status()} ${await res.text()}`);
      return signed;
    },
    anonymous: fresh,
    takePageProblems() {
      const taken = problems;
      problems = [];
      return taken;
    },
    async screenshotAll(name) {
      const pages = contexts.flatMap((c) => c.pages());
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      for (const [i, page] of pages.entries())
        await page
          .screenshot({ path: join(ARTIFACTS, `failed-${slug}-${i + 1}.png`) })
          .catch(() => undefined);
    },
    async closeContexts() {
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    },
    async screenshot(page, name) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await consoleRuntime?.shutdown().catch(() => undefined);
      await pipeline?.shutdown().catch(() => undefined);
      await nc.drain().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await nats.stop();
      await db.drop();
    },
  };
}

/**
 * The hooks every e2e file needs: a harness once the web build is known good, screenshots of the open pages
 * when a test fails (named `<prefix><test name>`), and a check after each test that every page ran under the
 * console's CSP (script-src 'self', style-src 'self') without a refusal or an uncaught exception. Returns the
 * harness as a stand-in that reaches the real one, which exists only once beforeAll has run.
 */
export function useE2eHarness(screenshotPrefix = ''): E2eHarness {
  let harness: E2eHarness | undefined;
  beforeAll(async () => {
    const buildError = inject('webBuildError');
    if (buildError) throw new Error(`the console web app did not build:\n${buildError}`);
    harness = await startE2eHarness();
  });
  afterEach(async (ctx) => {
    if (!harness) return;
    if (ctx.task.result?.state === 'fail') await harness.screenshotAll(`${screenshotPrefix}${ctx.task.name}`);
    await harness.closeContexts();
    expect(harness.takePageProblems()).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return new Proxy({} as E2eHarness, {
    get(_, key) {
      if (!harness) throw new Error('the e2e harness is not started: use it inside a test');
      return Reflect.get(harness, key) as unknown;
    },
  });
}
