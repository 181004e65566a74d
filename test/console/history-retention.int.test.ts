import { createPool, createRegistry, loadConfig, migrate, type Pool } from '@wachtpost/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  purgeHistory,
  RETENTION_LOCK,
  retentionCutoffs,
  startHistoryRetention,
} from '../../console/server/src/history/retention';
import { consoleMetrics } from '../../console/server/src/metrics';
import { storeAlert } from '../bench/history-seed';
import { makeAlert, startConsoleHarness } from '../support/console';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { metricValue, quietLog, waitFor } from '../support/harness';

/**
 * Retention on plain PostgreSQL (console/server/src/history/retention.ts): raw and rejected events past
 * HISTORY_RETENTION_DAYS go in bounded batches, the rollups behind the charts stay (or go after
 * HISTORY_ROLLUP_RETENTION_DAYS), alerts and their history are never touched.
 */
const DAY = 86_400_000;
let db: TestDatabase;
let pool: Pool;

// On the hour, so events a few seconds apart share one 15-minute bucket whenever the test runs.
const ago = (days: number) => new Date(Math.floor((Date.now() - days * DAY) / 3_600_000) * 3_600_000);
let seq = 0;

/** `count` events of one site at one time, through the same INSERT path (and rollup trigger) as any writer. */
async function events(siteId: string, at: Date, count: number, wingId = 'a'): Promise<void> {
  await pool.query(
    `INSERT INTO sensor_events (event_id, site_id, kind, sensor_id, observed_at, exercise, wing_id, stream_seq, body)
     SELECT $1 || '-' || g, $2, 'gsm', 'gsm-a-1', $3::timestamptz + g * INTERVAL '1 second', false, $4, $5 + g,
            '{}'::jsonb
     FROM generate_series(1, $6) AS g`,
    [`e-${siteId}-${at.getTime()}`, siteId, at, wingId, seq, count],
  );
  seq += count;
}

async function rejected(at: Date, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO rejected_events (received_at, stream_seq, subject, reason, detail, raw)
     SELECT $1, $2 + g, 'sensors.v1.demo.gsm', 'json', 'bad', convert_to('x' || ($2 + g), 'UTF8')
     FROM generate_series(1, $3) AS g`,
    [at, seq, count],
  );
  seq += count;
}

const rollups = async () => ({
  events: (
    await pool.query(
      `SELECT bucket, site_id, wing_id, kind, exercise, events FROM sensor_events_15m ORDER BY 1, 2, 3, 4, 5`,
    )
  ).rows,
  alerts: (
    await pool.query(
      `SELECT bucket, site_id, wing_id, rule, severity, exercise, alerts FROM alerts_15m ORDER BY 1, 2, 3, 4, 5, 6`,
    )
  ).rows,
});
const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.url, quietLog);
  pool = createPool(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'error' }), db.url, quietLog);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  await pool.query(
    'TRUNCATE sensor_events, rejected_events, sensor_events_15m, alerts_15m, alert_history, alerts CASCADE',
  );
});

describe('history retention on plain PostgreSQL', () => {
  it('deletes raw and rejected events past the retention in bounded batches, leaving rollups, alerts and newer rows', async () => {
    await events('demo', ago(40), 25);
    await events('pi-2', ago(35), 25, 'b');
    await events('demo', ago(29), 5);
    await events('demo', ago(1), 5);
    await rejected(ago(40), 3);
    await rejected(ago(2), 2);
    await storeAlert(pool, makeAlert({ alertId: 'ret-old', openedAt: ago(40).toISOString() }));
    const before = await rollups();
    expect(before.events.reduce((n, r: { events: string }) => n + Number(r.events), 0)).toBe(60);
    expect(before.alerts).toHaveLength(1);

    const registry = createRegistry();
    const metrics = consoleMetrics(registry);
    const run = await purgeHistory(
      pool,
      retentionCutoffs({ compressAfterDays: 7, retentionDays: 30, rollupRetentionDays: 0 }, new Date()),
      { batchSize: 10, deleted: metrics.retentionDeleted },
    );

    expect(run.ran).toBe(true);
    const tables = run.ran ? run.tables : [];
    expect(tables.map((t) => t.table)).toEqual(['sensor_events', 'rejected_events']);
    const raw = tables.find((t) => t.table === 'sensor_events')!;
    // Per site 10 + 10 + 5: no statement deleted more than a batch.
    expect(raw).toMatchObject({ deleted: 50, batches: 6, largestBatch: 10 });
    expect(tables.find((t) => t.table === 'rejected_events')).toMatchObject({ deleted: 3, batches: 1 });

    expect(await count('SELECT count(*) AS n FROM sensor_events')).toBe(10);
    expect(
      await count(`SELECT count(*) AS n FROM sensor_events WHERE observed_at < now() - INTERVAL '30 days'`),
    ).toBe(0);
    expect(await count('SELECT count(*) AS n FROM rejected_events')).toBe(2);
    // Charts over the old range keep their counts: the rollup triggers do not subtract on DELETE.
    expect(await rollups()).toEqual(before);
    expect(await count('SELECT count(*) AS n FROM alerts')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM alert_history')).toBe(1);

    const deleted = (table: string) =>
      metricValue(registry, 'wachtpost_history_retention_deleted_total', { table });
    expect(await deleted('sensor_events')).toBe(50);
    expect(await deleted('rejected_events')).toBe(3);
  });

  it('deletes rollup buckets past HISTORY_ROLLUP_RETENTION_DAYS, and nothing of the alerts themselves', async () => {
    await events('demo', ago(100), 4);
    await events('demo', ago(50), 3);
    await storeAlert(pool, makeAlert({ alertId: 'ret-older', openedAt: ago(100).toISOString() }));
    await storeAlert(pool, makeAlert({ alertId: 'ret-newer', openedAt: ago(50).toISOString() }));
    const registry = createRegistry();
    const metrics = consoleMetrics(registry);

    const run = await purgeHistory(
      pool,
      retentionCutoffs({ compressAfterDays: 7, retentionDays: 30, rollupRetentionDays: 90 }, new Date()),
      { deleted: metrics.retentionDeleted },
    );

    expect(run.ran && run.tables.map((t) => [t.table, t.deleted])).toEqual([
      ['sensor_events', 7],
      ['rejected_events', 0],
      ['sensor_events_15m', 1],
      ['alerts_15m', 1],
    ]);
    const left = await rollups();
    expect(left.events.map((r: { events: string }) => Number(r.events))).toEqual([3]);
    expect(left.alerts).toHaveLength(1);
    expect(await count('SELECT count(*) AS n FROM alerts')).toBe(2);
    expect(await count('SELECT count(*) AS n FROM alert_history')).toBe(2);
    expect(
      await metricValue(registry, 'wachtpost_history_retention_deleted_total', { table: 'alerts_15m' }),
    ).toBe(1);
    expect(
      await metricValue(registry, 'wachtpost_history_retention_deleted_total', {
        table: 'sensor_events_15m',
      }),
    ).toBe(1);
  });

  it('skips the run while another console server holds the advisory lock', async () => {
    await events('demo', ago(40), 3);
    const other = await pool.connect();
    const cutoffs = retentionCutoffs(
      { compressAfterDays: 7, retentionDays: 30, rollupRetentionDays: 0 },
      new Date(),
    );
    try {
      await other.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK]);
      expect(await purgeHistory(pool, cutoffs)).toEqual({ ran: false, reason: 'locked' });
      expect(await count('SELECT count(*) AS n FROM sensor_events')).toBe(3);
    } finally {
      await other.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      other.release();
    }
    expect((await purgeHistory(pool, cutoffs)).ran).toBe(true);
    expect(await count('SELECT count(*) AS n FROM sensor_events')).toBe(0);
  });

  it('runs once at start and then on its interval, and stops cleanly', async () => {
    await events('demo', ago(40), 3);
    const registry = createRegistry();
    const retention = startHistoryRetention({
      pool,
      history: { compressAfterDays: 7, retentionDays: 30, rollupRetentionDays: 0 },
      log: quietLog,
      deleted: consoleMetrics(registry).retentionDeleted,
      intervalMs: 200,
    });
    try {
      await waitFor(
        async () => (await count('SELECT count(*) AS n FROM sensor_events')) === 0,
        5000,
        'first run',
      );
      await events('demo', ago(41), 2);
      await waitFor(
        async () => (await count('SELECT count(*) AS n FROM sensor_events')) === 0,
        5000,
        'next run',
      );
      expect(
        await metricValue(registry, 'wachtpost_history_retention_deleted_total', { table: 'sensor_events' }),
      ).toBe(5);
    } finally {
      await retention.stop();
    }
  });
});

describe('the console server on plain PostgreSQL', () => {
  it('runs the retention job at start and counts what it deleted in /metrics', async () => {
    const h = await startConsoleHarness();
    try {
      await h.pool.query(
        `INSERT INTO sensor_events (event_id, site_id, kind, sensor_id, observed_at, exercise, wing_id, stream_seq, body)
         SELECT 'c-' || g, 'demo', 'gsm', 'gsm-a-1', now() - INTERVAL '40 days', false, 'a', g, '{}'::jsonb
         FROM generate_series(1, 3) AS g`,
      );
      const server = await h.startConsole({ env: { HISTORY_RETENTION_DAYS: '30' } });
      await waitFor(
        async () => Number((await h.pool.query('SELECT count(*) AS n FROM sensor_events')).rows[0].n) === 0,
        10_000,
        'the start-up run',
      );
      await waitFor(
        async () => {
          const text = await (await fetch(`${server.base}/metrics`)).text();
          return text.includes('wachtpost_history_retention_deleted_total{table="sensor_events"} 3');
        },
        10_000,
        'the metric',
      );
      // Charts keep the deleted events.
      expect((await h.pool.query('SELECT sum(events)::int AS n FROM sensor_events_15m')).rows[0].n).toBe(3);
    } finally {
      await h.close();
    }
  });
});
