import { jetstream } from '@nats-io/jetstream';
import { connectNats, type RunningService, type RuntimeContext } from '@wachtpost/platform';
import { AlertActions } from './alerts/alert-actions';
import { SilenceCache } from './alerts/silences';
import { alertRoutes } from './api/alert-routes';
import { historyRoutes } from './api/history-routes';
import { startHistoryRetention } from './history/retention';
import type { ApiContext } from './api/context';
import { sessionRoutes } from './api/session-routes';
import { simulatorRoutes } from './api/simulator-routes';
import { siteRoutes } from './api/site-routes';
import { userRoutes } from './api/user-routes';
import { bootstrapAdmin } from './auth/bootstrap-admin';
import { LoginRateLimit } from './auth/rate-limit';
import { setSecurityHeaders } from './http/respond';
import { Router } from './http/router';
import { staticWeb, webAppBuilt, WEB_BUILD_COMMAND, DEFAULT_WEB_DIST } from './http/static-web';
import { AlertFeed } from './live/alert-feed';
import {
  HEALTH_CODES,
  PipelineHealth,
  type HealthProblem,
  type PipelineHealthOptions,
} from './live/pipeline-health';
import { SocketHub } from './live/socket-hub';
import { consoleMetrics } from './metrics';

export interface ConsoleServerOptions {
  /** Where the generated admin password is printed (stdout by default). */
  print?: (text: string) => void;
  /** A slow socket's buffer bound in packets (tests lower it). */
  maxPendingPackets?: number;
  /** How often open sockets' sessions are checked again (tests shorten it). */
  sessionCheckMs?: number;
  rateLimit?: LoginRateLimit;
  /** How often revisions left unpublished (NATS away) are retried. */
  outboxRetryMs?: number;
  /** The built web app to serve (console/web/dist by default). */
  webDist?: string;
  /** The plain-PostgreSQL retention job's pace (hourly, 10,000 rows a statement by default). */
  historyRetention?: { intervalMs?: number; batchSize?: number };
  /** When the board warns that alerts may be late or missing (tests shorten it). */
  health?: PipelineHealthOptions;
}

export interface ConsoleServer extends RunningService {
  hub: SocketHub;
  feed: AlertFeed;
}

/** Mounts the console (API, sockets, live feed) on the process's runtime. */
export async function startConsoleServer(
  ctx: RuntimeContext,
  options: ConsoleServerOptions = {},
): Promise<ConsoleServer> {
  const log = ctx.log.child({ service: 'console' });
  const { pool, nc, config } = ctx;
  await bootstrapAdmin(pool, config.console.adminPassword, log, options.print);
  const js = jetstream(nc);
  const metrics = consoleMetrics(ctx.registry);
  const silences = new SilenceCache(pool, log);
  await silences.start();

  const hub = new SocketHub({
    httpServer: ctx.http.server,
    pool,
    nc,
    js,
    silences,
    log,
    metrics,
    maxPendingPackets: options.maxPendingPackets,
    sessionCheckMs: options.sessionCheckMs,
  });
  // socket.io took over the server's request listeners; this one goes first so every response, the
  // platform's health routes and the socket.io transport included, carries the security headers.
  ctx.http.server.prependListener('request', (_req, res) => setSecurityHeaders(res));

  const actions = new AlertActions(pool, js, log);
  actions.startOutboxRetry(options.outboxRetryMs);
  const api: ApiContext = {
    pool,
    config,
    log,
    rateLimit: options.rateLimit ?? new LoginRateLimit(),
    actions,
    silences,
    metrics,
    sites: ctx.sites,
    disconnect: (room) => hub.disconnect(room),
  };
  const router = new Router(log, new Set(config.console.trustedProxies));
  sessionRoutes(router, api);
  userRoutes(router, api);
  alertRoutes(router, api);
  // Test traffic is sensor events, which a deployment's console user may not publish: the Simulator page then
  // publishes (and follows the run's alerts) on a connection of its own, as the simulator user.
  const simulatorNc = config.console.simulatorNats
    ? await connectNats(
        { nats: { url: config.nats.url, ...config.console.simulatorNats } },
        log,
        'wachtpost-console-simulator',
      )
    : nc;
  const simulator = simulatorRoutes(router, api, simulatorNc);
  historyRoutes(router, api);
  siteRoutes(router, api);
  // TimescaleDB drops old chunks by policy (applied in historyRoutes); on plain PostgreSQL this job deletes them.
  const retention = startHistoryRetention({
    pool,
    history: config.history,
    log,
    deleted: metrics.retentionDeleted,
    ...options.historyRetention,
  });
  ctx.http.addHandler(router.handler());
  // After the API router, so an unknown /api path keeps its JSON 404.
  const webDist = options.webDist ?? DEFAULT_WEB_DIST;
  if (!webAppBuilt(webDist))
    log.warn(
      { webDist },
      `the console web app is not built: pages answer 503 until \`${WEB_BUILD_COMMAND}\` has run`,
    );
  ctx.http.addHandler(staticWeb({ root: webDist, log }));

  const feed = new AlertFeed(
    nc,
    js,
    log,
    (entry) => hub.deliver(entry),
    (headSeq) => hub.restartSequences(headSeq),
  );
  await feed.start();
  await hub.start(() => feed.headSeq);
  const showHealth = (problems: HealthProblem[]) => {
    hub.setHealth(problems);
    for (const code of HEALTH_CODES)
      metrics.pipelineProblems.set({ code }, problems.some((p) => p.code === code) ? 1 : 0);
  };
  // Every code at 0 from the start, so an alerting rule sees the series before anything goes wrong.
  showHealth([]);
  const health = new PipelineHealth(nc, () => feed.problem, log, showHealth, options.health);
  health.start();
  log.info({ fromSeq: feed.headSeq }, 'console server up: API on /api, live alerts on socket.io');

  return {
    hub,
    feed,
    async stop() {
      actions.stopOutboxRetry();
      health.stop();
      await simulator.close();
      if (simulatorNc !== nc) await simulatorNc.drain();
      hub.close();
      await feed.stop();
      silences.stop();
      await retention.stop();
    },
    async ready() {
      if (feed.problem) throw new Error(`live alert feed: ${feed.problem}`);
      await pool.query('SELECT 1 FROM users LIMIT 1');
    },
  };
}
