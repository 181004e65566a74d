/**
 * `pnpm start`: the whole system in one process with embedded defaults. Without DATABASE_URL it runs the
 * embedded PostgreSQL; without NATS_URL it uses 127.0.0.1:4222 or starts nats-server. `--demo` adds the
 * simulator's realistic feed.
 */
import { parseArgs } from 'node:util';
import type { SiteModel } from '@wachtpost/contracts';
import { ConfigError, loadConfig, REPO_ROOT } from '../config';
import { redactUrl } from '../database';
import { discoverDemoFeed, discoverServices } from '../launcher/discover';
import { findOrStartNats, NatsUnavailableError } from '../launcher/embedded-nats';
import { startEmbeddedPostgres } from '../launcher/embedded-postgres';
import { ensureWebApp, WebBuildError } from '../launcher/web-app';
import { createLogger } from '../logger';
import type { NatsConnection } from '../nats';
import { runServices } from '../runtime';

type DemoModule = {
  startDemoFeed(options: { nc: NatsConnection; sites: SiteModel[]; log?: (message: string) => void }): {
    stop(): Promise<void>;
  };
};

const { values: args } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
const log = createLogger(config, 'wachtpost');
const onShutdown: (() => Promise<void>)[] = [];

try {
  const services = await discoverServices(REPO_ROOT);
  const withConsole = services.some((s) => s.name === 'console');
  // The console serves console/web/dist: build it first when it is missing or older than its sources.
  if (withConsole) await ensureWebApp(REPO_ROOT, log);
  if (!config.databaseUrl) {
    const db = await startEmbeddedPostgres(config.dataDir, log);
    config.databaseUrl = db.url;
    onShutdown.push(db.stop);
  }
  if (!config.nats.url) {
    const nats = await findOrStartNats(config.dataDir, log);
    config.nats.url = nats.url;
    onShutdown.unshift(nats.stop);
  }
  await runServices(services, {
    config,
    log,
    setup: true,
    onShutdown,
    async onStarted(ctx) {
      if (args.demo) {
        const demo = (await discoverDemoFeed(REPO_ROOT)) as DemoModule | undefined;
        if (!demo) throw new Error('--demo needs the simulator package, which is not in this workspace');
        const feed = demo.startDemoFeed({
          nc: ctx.nc,
          sites: [...ctx.sites.values()].map((s) => s.site),
          log: (message) => log.info({ service: 'demo-feed' }, message),
        });
        onShutdown.unshift(() => feed.stop());
      }
      const base = `http://localhost:${ctx.http.port}`;
      const lines = [
        'Wachtpost is up.',
        `  services:  ${services.map((s) => s.name).join(', ')}${args.demo ? ' + demo feed (exercise traffic)' : ''}`,
        `  sites:     ${[...ctx.sites.keys()].join(', ')} (from ${config.sitesPath})`,
        ...(config.detectors.expectSensors
          ? []
          : [
              "             the demo site's sensors are fictional: only those heard from are watched for silence",
            ]),
        ...(withConsole
          ? [
              `  console:   ${base}/   (user admin; password from WACHTPOST_ADMIN_PASSWORD, or printed above on the first start)`,
            ]
          : []),
        `  health:    ${base}/healthz   readiness: ${base}/readyz   metrics: ${base}/metrics`,
        `  NATS:      ${config.nats.url} (publish sensor events on sensors.v1.<siteId>.<kind>.<sensorId>)`,
        `  database:  ${redactUrl(config.databaseUrl!)}`,
        `  data:      ${config.dataDir}`,
        'Stop with Ctrl-C.',
      ];
      process.stdout.write(`\n${lines.join('\n')}\n\n`);
    },
  });
} catch (err) {
  if (err instanceof NatsUnavailableError || err instanceof WebBuildError) console.error(err.message);
  // The reason in the line itself: an operator reading `msg` alone must see what to fix.
  else log.fatal({ err }, `start-up failed: ${(err as Error).message}`);
  for (const close of onShutdown) await close().catch(() => undefined);
  process.exit(1);
}
