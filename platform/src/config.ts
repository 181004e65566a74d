import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, so relative defaults do not depend on the directory a command runs in. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// z.coerce.boolean() turns "false" into true; read flags explicitly.
const Flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));

const Env = z.object({
  DATABASE_URL: z.url().optional(),
  NATS_URL: z.string().min(1).optional(),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  // The NATS user the console's Simulator page publishes test traffic as, where the console's own user may not
  // publish sensor events (deploy/nats/nats.conf: the user `simulator`). Unset: the console's own connection.
  SIMULATOR_NATS_USER: z.string().min(1).optional(),
  SIMULATOR_NATS_PASSWORD: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  WACHTPOST_SITES: z.string().min(1).optional(),
  WACHTPOST_DATA_DIR: z.string().min(1).default(resolve(REPO_ROOT, '.wachtpost')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Readable lines in a developer's terminal, JSON lines everywhere else (containers, CI, files).
  LOG_PRETTY: Flag.optional(),
  SENSORS_RETENTION_DAYS: z.coerce.number().min(1).max(365).default(7),
  // How long JetStream waits for an ack before redelivering: the delay before a crashed worker's messages move on.
  SENSORS_ACK_WAIT_S: z.coerce.number().int().min(1).max(3600).default(30),
  SENSORS_DUPLICATE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(120),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(20_000).default(1000),
  INGEST_BATCH_WAIT_MS: z.coerce.number().int().min(1).max(10_000).default(50),
  INGEST_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(2),
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  DETECTORS_BATCH_SIZE: z.coerce.number().int().min(1).max(20_000).default(500),
  DETECTORS_BATCH_WAIT_MS: z.coerce.number().int().min(1).max(10_000).default(20),
  // The runtime's clock tick: how soon a site whose sensors all went silent gets its sensor-offline alerts.
  DETECTORS_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  // A snapshot bounds the replay after a crash; the state can be megabytes, so not one per batch.
  DETECTORS_SNAPSHOT_EVERY_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  // Detector parameter overrides per site id, as JSON: {"demo":{"persistent-phone":{"minNights":4}}}.
  DETECTORS_PARAMS: z
    .string()
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          return value as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object keyed by site id' });
      return z.NEVER;
    })
    .optional(),
  // The first admin's password; without it a start creates one and prints it once (console/server README).
  WACHTPOST_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  // Behind HTTPS (a TLS proxy in production) the session cookie must be Secure; on plain localhost it cannot be.
  CONSOLE_SECURE_COOKIES: Flag.default(false),
  CONSOLE_SESSION_HOURS: z.coerce.number().min(0.01).max(720).default(12),
  // Reverse proxies in front of the console, as IP addresses: their X-Forwarded-For names the client (audit
  // log, login rate limit). Empty: the socket's peer is the client.
  CONSOLE_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address' }))),
  // History retention (console/server README, "Retention"): when raw sensor_events are compressed (TimescaleDB
  // only) and dropped, and how long the 15-minute rollups behind the charts are kept (0: for good). TimescaleDB
  // policies do it there; on plain PostgreSQL the console server's retention job deletes the rows.
  HISTORY_COMPRESS_AFTER_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(8).max(36_500).default(400),
  HISTORY_ROLLUP_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(36_500)
    .refine((d) => d === 0 || d >= 9, 'must be 0 (keep) or 9+ days (beyond the 8-day refresh window)')
    .default(0),
});

/** The site model shipped with the project: a fictional institution, the default of WACHTPOST_SITES. */
export const DEMO_SITES_PATH = resolve(REPO_ROOT, 'contracts/sites/demo.yaml');

/** Every environment variable the services read (the deployment files must be able to pass each one). */
export const CONFIG_VARIABLES = Object.keys(Env.shape) as readonly string[];

export interface Config {
  databaseUrl: string | undefined;
  nats: { url: string | undefined; user: string | undefined; password: string | undefined };
  port: number;
  /** A site model file or a folder of them. */
  sitesPath: string;
  dataDir: string;
  log: { level: z.infer<typeof Env>['LOG_LEVEL']; pretty: boolean };
  sensors: { retentionMs: number; duplicateWindowMs: number; ackWaitMs: number };
  ingest: { batchSize: number; batchWaitMs: number; maxInFlight: number };
  pgPoolSize: number;
  detectors: {
    batchSize: number;
    batchWaitMs: number;
    tickMs: number;
    snapshotEveryMs: number;
    params: Record<string, unknown> | undefined;
    /**
     * Whether every sensor of the site models must report from start-up on, or only those heard from are
     * watched for silence: the shipped demo site's sensors are fictional, and expecting them would fill a
     * demo's board with an offline alert for each, its simulated traffic being exercise traffic.
     */
    expectSensors: boolean;
  };
  console: {
    adminPassword: string | undefined;
    secureCookies: boolean;
    sessionTtlMs: number;
    trustedProxies: string[];
    /** The Simulator page's own NATS user, when it has one. */
    simulatorNats: { user: string; password: string | undefined } | undefined;
  };
  history: { compressAfterDays: number; retentionDays: number; rollupRetentionDays: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The environment of a child process this one starts: this process's own, with `overrides`. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Reads configuration from an environment (the process's by default), once, failing with every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (DATABASE_URL= in a compose file or shell) means "not set", not "invalid".
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const sitesPath = resolve(e.WACHTPOST_SITES ?? DEMO_SITES_PATH);
  return {
    databaseUrl: e.DATABASE_URL,
    nats: { url: e.NATS_URL, user: e.NATS_USER, password: e.NATS_PASSWORD },
    port: e.PORT,
    sitesPath,
    dataDir: resolve(e.WACHTPOST_DATA_DIR),
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? process.stdout.isTTY === true },
    sensors: {
      retentionMs: e.SENSORS_RETENTION_DAYS * 86_400_000,
      duplicateWindowMs: e.SENSORS_DUPLICATE_WINDOW_S * 1000,
      ackWaitMs: e.SENSORS_ACK_WAIT_S * 1000,
    },
    ingest: {
      batchSize: e.INGEST_BATCH_SIZE,
      batchWaitMs: e.INGEST_BATCH_WAIT_MS,
      maxInFlight: e.INGEST_MAX_IN_FLIGHT,
    },
    pgPoolSize: e.PG_POOL_SIZE,
    detectors: {
      batchSize: e.DETECTORS_BATCH_SIZE,
      batchWaitMs: e.DETECTORS_BATCH_WAIT_MS,
      tickMs: e.DETECTORS_TICK_MS,
      snapshotEveryMs: e.DETECTORS_SNAPSHOT_EVERY_MS,
      params: e.DETECTORS_PARAMS,
      expectSensors: sitesPath !== DEMO_SITES_PATH,
    },
    console: {
      adminPassword: e.WACHTPOST_ADMIN_PASSWORD,
      secureCookies: e.CONSOLE_SECURE_COOKIES,
      sessionTtlMs: e.CONSOLE_SESSION_HOURS * 3_600_000,
      trustedProxies: e.CONSOLE_TRUSTED_PROXIES,
      simulatorNats: e.SIMULATOR_NATS_USER
        ? { user: e.SIMULATOR_NATS_USER, password: e.SIMULATOR_NATS_PASSWORD }
        : undefined,
    },
    history: {
      compressAfterDays: e.HISTORY_COMPRESS_AFTER_DAYS,
      retentionDays: e.HISTORY_RETENTION_DAYS,
      rollupRetentionDays: e.HISTORY_ROLLUP_RETENTION_DAYS,
    },
  };
}
