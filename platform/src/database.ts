import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Postgrator from 'postgrator';
import type { Config } from './config';
import type { Logger } from './logger';

export type Pool = pg.Pool;

export function createPool(config: Pick<Config, 'pgPoolSize'>, databaseUrl: string, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: config.pgPoolSize,
    connectionTimeoutMillis: 5000,
  });
  // A client losing its server (restart, failover, pg_terminate_backend) must not crash the process. The pool
  // only listens on idle clients; a checked-out client between two queries would emit an unhandled 'error'.
  // The query in flight, if any, rejects on its own and the caller retries. One line per lost connection, saying
  // which kind: an idle client's error reaches both listeners. The reason only, not the error object: pg hangs
  // the whole client on it, kilobytes a line.
  const checkedOut = new WeakSet<pg.PoolClient>();
  const lost = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => checkedOut.delete(client));
  pool.on('error', (err) =>
    log.warn(
      { err: err.message },
      'idle database connection lost (server restart, failover or pg_terminate_backend); the pool opens a new one when needed',
    ),
  );
  pool.on('connect', (client) =>
    client.on('error', (err) => {
      // pg emits twice for one loss (the server's FATAL, then the socket's end); a lost client is done for.
      if (checkedOut.has(client) && !lost.has(client)) {
        lost.add(client);
        log.warn(
          { err: err.message },
          'database connection lost while in use (server restart, failover or pg_terminate_backend); its query fails and is retried',
        );
      }
    }),
  );
  return pool;
}

const MIGRATIONS = fileURLToPath(new URL('../migrations/*.sql', import.meta.url));
// Any 64-bit number the project owns; serialises concurrent migrators (two replicas starting at once).
const MIGRATION_LOCK = 0x77616368_7470;

export type StoragePath = 'timescaledb' | 'postgresql';

/** A connection URL (or a comma-separated list of them) fit for a log line: passwords replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/:[^:@/,]+@/g, ':***@');
}

/** The message and the underlying cause's, if it says more ("connection refused: connect ECONNREFUSED ..."). */
function reason(err: unknown): string {
  const message = (err as Error).message ?? String(err);
  const cause = (err as { cause?: unknown }).cause;
  const more = cause instanceof Error && cause.message && !message.includes(cause.message);
  return more ? `${message}: ${cause.message}` : message;
}

/** Names the dependency and the variable that points at it: "connect ECONNREFUSED" alone does not say which. */
export function dependencyError(what: string, url: string, variable: string, err: unknown): Error {
  return new Error(`cannot connect to ${what} at ${redactUrl(url)} (${variable}): ${reason(err)}`, {
    cause: err,
  });
}

/**
 * Applies the SQL migrations in order, once, under an advisory lock. Returns which storage path is live.
 * A server that takes the connection but never answers (hung, or a firewall that drops the rest) fails start-up
 * after `connectTimeoutMs` rather than hanging it without a word.
 */
export async function migrate(
  databaseUrl: string,
  log: Logger,
  { connectTimeoutMs = 10_000 }: { connectTimeoutMs?: number } = {},
): Promise<StoragePath> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  // A lost connection fails the statement in flight; without a listener it would also be an uncaught 'error'.
  client.on('error', (err) => log.warn({ err }, 'migration connection failed'));
  try {
    await client.connect();
  } catch (err) {
    throw dependencyError('the database', databaseUrl, 'DATABASE_URL', err);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const postgrator = new Postgrator({
      migrationPattern: MIGRATIONS,
      driver: 'pg',
      schemaTable: 'schema_migrations',
      execQuery: (query) => client.query(query),
    });
    postgrator.on('migration-started', (m) => log.info({ migration: m.filename }, 'applying migration'));
    await postgrator.migrate();
    const { rows } = await client.query<{ on: boolean }>('SELECT wachtpost_has_timescaledb() AS on');
    const path: StoragePath = rows[0]?.on ? 'timescaledb' : 'postgresql';
    log.info(
      { storage: path },
      path === 'timescaledb'
        ? 'storage: TimescaleDB (hypertables, compression and retention policies)'
        : 'storage: plain PostgreSQL (TimescaleDB extension not available; same tables, plain indexes)',
    );
    return path;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** The SQL of every migration in order, for tests that apply them to other engines (PGlite + TimescaleDB). */
export function migrationFiles(): { name: string; sql: string }[] {
  const dir = fileURLToPath(new URL('../migrations/', import.meta.url));
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(dir + name, 'utf8') }));
}
