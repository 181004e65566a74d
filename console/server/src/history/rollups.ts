import type { Config, Logger } from '@wachtpost/platform';

/** What both a pg client and PGlite (the TimescaleDB tests) offer. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

// Serialises console servers starting at once: each compares and replaces the policies in turn.
const POLICY_LOCK = 0x77616368_7471;

interface JobRow {
  proc_name: string;
  hypertable_name: string;
  days: number | null;
}

/**
 * Brings the TimescaleDB compression and retention policies in line with the configuration (HISTORY_* variables;
 * migration 006 and 002 set the defaults): raw sensor_events are compressed after `compressAfterDays` and dropped
 * after `retentionDays`; the 15-minute rollups are kept `rollupRetentionDays` (0: for good), so charts reach
 * back further than raw rows. A policy already as configured is left alone. Plain PostgreSQL has neither
 * compression nor retention policies: returns false there.
 */
export async function applyHistoryPolicies(
  db: Queryable,
  history: Config['history'],
  log: Logger,
): Promise<boolean> {
  const { rows: path } = await db.query('SELECT wachtpost_has_timescaledb() AS on');
  if (!(path[0] as { on: boolean } | undefined)?.on) return false;
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1)', [POLICY_LOCK]);
    // Caggs' policies name the view in hypertable_name (timescaledb_information.jobs resolves it).
    const { rows } = await db.query(
      `SELECT proc_name, hypertable_name,
              extract(epoch FROM coalesce((config->>'compress_after')::interval, (config->>'drop_after')::interval))
                / 86400 AS days
       FROM timescaledb_information.jobs
       WHERE proc_name IN ('policy_compression', 'policy_retention')
         AND hypertable_name IN ('sensor_events', 'sensor_events_15m', 'alerts_15m')`,
    );
    const current = (proc: string, table: string) =>
      (rows as JobRow[]).find((r) => r.proc_name === proc && r.hypertable_name === table)?.days ?? null;
    const changed: string[] = [];
    const set = async (proc: 'compression' | 'retention', table: string, days: number | null) => {
      const now = current(`policy_${proc}`, table);
      if (now !== null && days !== null && Math.abs(now - days) < 1e-6) return;
      if (now === null && days === null) return;
      if (now !== null)
        await db.query(`SELECT remove_${proc}_policy($1::regclass, if_exists => true)`, [table]);
      if (days !== null) {
        await db.query(`SELECT add_${proc}_policy($1::regclass, make_interval(days => $2::int))`, [
          table,
          days,
        ]);
      }
      changed.push(`${table} ${proc}: ${days === null ? 'none' : `${days} days`}`);
    };
    await set('compression', 'sensor_events', history.compressAfterDays);
    await set('retention', 'sensor_events', history.retentionDays);
    const rollupDays = history.rollupRetentionDays > 0 ? history.rollupRetentionDays : null;
    await set('retention', 'sensor_events_15m', rollupDays);
    await set('retention', 'alerts_15m', rollupDays);
    await db.query('COMMIT');
    if (changed.length) log.info({ changed }, 'history: TimescaleDB policies updated to the configuration');
    return true;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
