import closeWithGrace from 'close-with-grace';
import type { Config } from './config';
import { createPool, migrate, type Pool } from './database';
import { startHttpServer, type ReadinessReport } from './http-server';
import { keepJetStreamProvisioned, provisionJetStream } from './jetstream-setup';
import type { Logger } from './logger';
import { createRegistry } from './metrics';
import { connectNats, type NatsConnection } from './nats';
import type { RunningService, RuntimeContext, Service } from './service';
import { loadSites } from './sites';

export interface RunOptions {
  config: Config;
  log: Logger;
  /** Migrate the database and provision streams first (the all-in-one start and the migrate step do). */
  setup?: boolean;
  /** Extra things to close after the services stop (embedded servers, a demo feed). */
  onShutdown?: (() => Promise<void>)[];
  /** Called with the live context after every service started (the launcher prints where to look). */
  onStarted?: (ctx: RuntimeContext) => void | Promise<void>;
  /**
   * How long shutdown waits for each service's stop, draining NATS and closing the pool before it logs the step
   * by name and goes on without it (4 s by default: several fit in the signal handler's 15 s, after which the
   * process is killed with nothing said about what hung).
   */
  stopStepMs?: number;
  /** Install signal handlers and exit the process on shutdown (false in tests). */
  installSignalHandlers?: boolean;
}

export interface RunningSystem {
  ctx: RuntimeContext;
  shutdown(): Promise<void>;
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms),
    ),
  ]);

/**
 * Runs services on one shared runtime: NATS, a pg pool, the site models, one metrics registry and one HTTP
 * server with health, readiness and metrics. Shutdown order: not ready, stop services, drain NATS, close pool.
 */
export async function runServices(services: Service[], options: RunOptions): Promise<RunningSystem> {
  const { config, log } = options;
  if (!config.databaseUrl)
    throw new Error('DATABASE_URL is not set (pnpm start provides an embedded default)');
  const sites = loadSites(config.sitesPath);
  log.info({ sites: [...sites.keys()], from: config.sitesPath }, 'site models loaded');

  let stopping = false;
  // Not ready until every service has started and the start-up hook ran: a service mounts its routes in start().
  let started = false;
  let nc: NatsConnection | undefined;
  let pool: Pool | undefined;
  const running: { name: string; service: RunningService }[] = [];
  const readiness = async (): Promise<ReadinessReport> => {
    const checks: Record<string, string> = {};
    const timedOut = new Set<string>();
    const probe = async (name: string, fn: () => Promise<unknown>) => {
      let answered = false;
      try {
        await withTimeout(
          fn().finally(() => (answered = true)),
          2000,
          name,
        );
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = (err as Error).message;
        if (!answered) timedOut.add(name);
      }
    };
    if (stopping) checks.shutdown = 'shutting down';
    if (!started) checks.startup = 'starting services';
    await Promise.all([
      probe('nats', () =>
        !nc
          ? Promise.reject(new Error('not connected yet'))
          : nc.isClosed()
            ? Promise.reject(new Error('connection closed'))
            : nc.rtt(),
      ),
      probe('database', () =>
        pool ? pool.query('SELECT 1') : Promise.reject(new Error('not connected yet')),
      ),
      ...running.map(({ name, service }) => probe(name, () => service.ready?.() ?? Promise.resolve())),
    ]);
    // A service's own check asks NATS (its consumer); with NATS away it times out, which would read as that
    // service being broken.
    if (checks.nats !== 'ok') {
      for (const { name } of running) if (timedOut.has(name)) checks[name] = 'waiting for NATS (see "nats")';
    }
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  };
  const registry = createRegistry();
  // The port first: a second start on a port in use must stop before it migrates or provisions anything of the
  // system already running there (with other settings it would reconfigure that system's streams, then exit).
  const http = await startHttpServer({ port: config.port, registry, readiness, log });
  let keeper: ReturnType<typeof keepJetStreamProvisioned> | undefined;
  try {
    if (options.setup) await migrate(config.databaseUrl, log);
    nc = await connectNats(config, log, `wachtpost-${services.map((s) => s.name).join('+') || 'runtime'}`);
    if (options.setup) await provisionJetStream(nc, config, log);
    keeper = options.setup ? keepJetStreamProvisioned(nc, config, log) : undefined;
    pool = createPool(config, config.databaseUrl, log);
  } catch (err) {
    await nc?.close().catch(() => undefined);
    await http.close();
    throw err;
  }
  const ctx: RuntimeContext = { config, log, nc, pool, sites, registry, http };

  const stopStepMs = options.stopStepMs ?? 4000;
  /** One shutdown step: a failure is logged, a hang is logged by name after `stopStepMs` and left behind. */
  const step = async (what: string, fn: () => Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), stopStepMs)));
    const outcome = await Promise.race([
      fn().then(
        () => 'done' as const,
        (err: unknown) => err as Error,
      ),
      late,
    ]);
    clearTimeout(timer);
    if (outcome === 'late')
      log.error(`${what} did not finish within ${stopStepMs / 1000} s; shutting down without it`);
    else if (outcome instanceof Error) log.warn({ err: outcome }, `${what} failed`);
  };
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down');
    keeper?.stop();
    for (const { name, service } of running.reverse()) await step(`stopping ${name}`, () => service.stop());
    await step('draining NATS', () => ctx.nc.drain());
    await step('closing the database pool', () => ctx.pool.end());
    await http.close();
    // Not cut short: the embedded PostgreSQL's own shutdown may take its time, and must finish.
    for (const close of options.onShutdown ?? [])
      await close().catch((err: unknown) => log.warn({ err }, 'close failed'));
    log.info('stopped');
  };

  if (options.installSignalHandlers !== false) {
    closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
      if (err) log.fatal({ err }, 'fatal error, shutting down');
      else log.info({ signal }, 'signal received');
      await shutdown();
    });
  }

  try {
    for (const service of services) {
      running.push({ name: service.name, service: await service.start(ctx) });
      log.info({ service: service.name }, 'service started');
    }
  } catch (err) {
    await shutdown();
    throw err;
  }
  await options.onStarted?.(ctx);
  started = true;
  return { ctx, shutdown };
}
