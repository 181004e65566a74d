import type { Config, Logger } from '@wachtpost/platform';
import type { Counter } from 'prom-client';
import type { Pool, PoolClient } from 'pg';

const DAY_MS = 86_400_000;

/** The tables the retention job may delete from, with the time column their cut-off applies to. */
export const RETENTION_TABLES = {
  sensor_events: { column: 'observed_at', perSite: true },
  rejected_events: { column: 'received_at', perSite: false },
  sensor_events_15m: { column: 'bucket', perSite: true },
  alerts_15m: { column: 'bucket', perSite: true },
} as const;
export type RetentionTable = keyof typeof RETENTION_TABLES;

export interface RetentionCutoff {
  table: RetentionTable;
  /** Rows older than this go. */
  before: Date;
}

/**
 * Which rows are out of retention at `now` (plain PostgreSQL; TimescaleDB's policies do the same by chunk): raw
 * sensor_events, and rejected_events with them (they are raw messages too, kept to diagnose a gateway), after
 * `retentionDays`; the 15-minute rollups after `rollupRetentionDays`, none when it is 0. Alerts, their history,
 * actions and outcomes and the audit log are never deleted: they are the record of what staff were told and did.
 */
export function retentionCutoffs(history: Config['history'], now: Date): RetentionCutoff[] {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const cutoffs: RetentionCutoff[] = [
    { table: 'sensor_events', before: before(history.retentionDays) },
    { table: 'rejected_events', before: before(history.retentionDays) },
  ];
  if (history.rollupRetentionDays > 0) {
    const rollups = before(history.rollupRetentionDays);
    cutoffs.push({ table: 'sensor_events_15m', before: rollups }, { table: 'alerts_15m', before: rollups });
  }
  return cutoffs;
}

// One lock id for every console server on the database: one replica purges, the others skip that run.
export const RETENTION_LOCK = 0x77616368_7472;
export const RETENTION_BATCH = 10_000;
export const RETENTION_INTERVAL_MS = 3_600_000;

export interface TableResult {
  table: RetentionTable;
  before: string;
  deleted: number;
  /** DELETE statements run, each its own transaction. */
  batches: number;
  largestBatch: number;
}

export type RetentionRun = { ran: false; reason: 'locked' } | { ran: true; tables: TableResult[] };

export interface RetentionOptions {
  batchSize?: number;
  /** Counts deleted rows by table (wachtpost_history_retention_deleted_total). */
  deleted?: Counter<'table'>;
  /** Checked between batches: a shutdown ends the run early, the next start carries on. */
  stopping?: () => boolean;
}

/** The distinct sites of a table, one index probe per site (a loose index scan) instead of a full scan. */
async function sitesOf(db: PoolClient, table: RetentionTable): Promise<string[]> {
  const { rows } = await db.query<{ site_id: string }>(
    `WITH RECURSIVE s(site_id) AS (
       (SELECT site_id FROM ${table} ORDER BY site_id LIMIT 1)
       UNION ALL
       SELECT (SELECT t.site_id FROM ${table} t WHERE t.site_id > s.site_id ORDER BY t.site_id LIMIT 1)
       FROM s WHERE s.site_id IS NOT NULL
     )
     SELECT site_id FROM s WHERE site_id IS NOT NULL`,
  );
  return rows.map((r) => r.site_id);
}

/**
 * Deletes the rows past their cut-off in batches of `batchSize`, each DELETE its own short transaction: rows are
 * picked through an index on (site_id, time) or the time column and deleted by ctid, so no statement holds locks
 * for long or leaves one huge transaction behind, and autovacuum reclaims the space as it goes. Rollups are kept
 * by AFTER INSERT triggers only, so deleting raw rows leaves the chart counts as they were. Takes a session
 * advisory lock first: when another console server holds it, this run is skipped.
 */
export async function purgeHistory(
  pool: Pool,
  cutoffs: RetentionCutoff[],
  options: RetentionOptions = {},
): Promise<RetentionRun> {
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const db = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      RETENTION_LOCK,
    ]);
    if (!rows[0]?.locked) return { ran: false, reason: 'locked' };
    try {
      const tables: TableResult[] = [];
      for (const { table, before } of cutoffs) {
        const { column, perSite } = RETENTION_TABLES[table];
        const result: TableResult = {
          table,
          before: before.toISOString(),
          deleted: 0,
          batches: 0,
          largestBatch: 0,
        };
        tables.push(result);
        const scopes: (string | null)[] = perSite ? await sitesOf(db, table) : [null];
        for (const site of scopes) {
          const where = site === null ? `${column} < $1` : `site_id = $3 AND ${column} < $1`;
          const params = site === null ? [before, batchSize] : [before, batchSize, site];
          for (;;) {
            if (options.stopping?.()) return { ran: true, tables };
            const { rowCount } = await db.query(
              `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT $2))`,
              params,
            );
            const n = rowCount ?? 0;
            result.batches++;
            result.deleted += n;
            result.largestBatch = Math.max(result.largestBatch, n);
            if (n > 0) options.deleted?.inc({ table }, n);
            if (n < batchSize) break;
          }
        }
      }
      return { ran: true, tables };
    } finally {
      await db.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]).catch((err: Error) => {
        // A connection that cannot unlock is thrown away, and the lock with it.
        broken = err;
      });
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    db.release(broken);
  }
}

export interface HistoryRetention {
  /** The run in progress, or a new one (tests; the timer calls it too). */
  runOnce(): Promise<RetentionRun | undefined>;
  stop(): Promise<void>;
}

/**
 * Retention on plain PostgreSQL, once at start and then every `intervalMs`. On TimescaleDB it does nothing: the
 * retention policies applied by applyHistoryPolicies drop whole chunks there.
 */
export function startHistoryRetention(opts: {
  pool: Pool;
  history: Config['history'];
  log: Logger;
  deleted: Counter<'table'>;
  intervalMs?: number;
  batchSize?: number;
  now?: () => Date;
}): HistoryRetention {
  const { pool, history, log } = opts;
  const now = opts.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<RetentionRun | undefined> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<RetentionRun | undefined> => {
    const started = performance.now();
    const result = await purgeHistory(pool, retentionCutoffs(history, now()), {
      batchSize: opts.batchSize,
      deleted: opts.deleted,
      stopping: () => stopped,
    });
    if (!result.ran) {
      log.info('history retention: another console server holds the lock, skipped this run');
      return result;
    }
    const deleted = Object.fromEntries(result.tables.map((t) => [t.table, t.deleted]));
    const before = Object.fromEntries(result.tables.map((t) => [t.table, t.before]));
    log.info(
      { deleted, before, ms: Math.round(performance.now() - started), stopped },
      'history retention: deleted rows past their retention',
    );
    return result;
  };
  const runOnce = () => {
    running ??= run()
      .catch((err: unknown) => {
        log.warn({ err }, 'history retention: run failed, retrying at the next interval');
        return undefined;
      })
      .finally(() => (running = undefined));
    return running;
  };

  const started = pool
    .query<{ on: boolean }>('SELECT wachtpost_has_timescaledb() AS on')
    .then(({ rows }) => {
      if (rows[0]?.on || stopped) return;
      log.info(
        {
          retentionDays: history.retentionDays,
          rollupRetentionDays: history.rollupRetentionDays,
          intervalMs: opts.intervalMs ?? RETENTION_INTERVAL_MS,
        },
        'history retention: plain PostgreSQL, the console deletes old rows itself',
      );
      timer = setInterval(() => void runOnce(), opts.intervalMs ?? RETENTION_INTERVAL_MS);
      timer.unref();
      void runOnce();
    })
    .catch((err: unknown) => log.warn({ err }, 'history retention: could not start'));

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await started;
      await running;
    },
  };
}
