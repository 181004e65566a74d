import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Alert, SensorEventInput } from '@wachtpost/contracts';
import { copyText, prepareBatch, SENSOR_EVENT_COLUMNS } from '@wachtpost/ingest';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { demoSites, messageOf } from '../support/events';

/**
 * Stores events the way ingest does (contract validation, wing and zone columns, one COPY), for history tests
 * that need exact data at chosen times, old ones included.
 */
export async function storeEvents(db: pg.Pool | pg.PoolClient, events: SensorEventInput[]): Promise<void> {
  const { accepted, rejected } = prepareBatch(
    events.map((e, i) => ({ ...messageOf(e), streamSeq: i + 1 })),
    { sites: demoSites, now: Date.now(), retentionMs: 10 * 365 * 86_400_000 },
  );
  if (rejected.length) throw new Error(`events refused: ${JSON.stringify(rejected[0]?.detail)}`);
  const client = 'release' in db ? db : await db.connect();
  try {
    await pipeline(
      Readable.from([copyText(accepted)]),
      client.query(copyStreams.from(`COPY sensor_events (${SENSOR_EVENT_COLUMNS}) FROM STDIN`)),
    );
  } finally {
    if (client !== db) client.release();
  }
}

/** Stores an alert as the detectors do (current state and its opening revision), without publishing it. */
export async function storeAlert(db: pg.Pool | pg.PoolClient, alert: Alert): Promise<void> {
  const body = JSON.stringify(alert);
  await db.query(
    `INSERT INTO alerts (alert_id, rev, rule, severity, status, site_id, wing_id, exercise, first_event_at,
                         last_event_at, opened_at, updated_at, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
    [
      alert.alertId,
      alert.rev,
      alert.rule,
      alert.severity,
      alert.status,
      alert.siteId,
      alert.wingId ?? null,
      alert.exercise,
      alert.firstEventAt,
      alert.lastEventAt,
      alert.openedAt,
      alert.updatedAt,
      body,
    ],
  );
  await db.query(
    `INSERT INTO alert_history (alert_id, rev, change, rule, severity, status, site_id, exercise, updated_at, body)
     VALUES ($1, 1, 'opened', $2, $3, 'open', $4, $5, $6, $7::jsonb)`,
    [alert.alertId, alert.rule, alert.severity, alert.siteId, alert.exercise, alert.openedAt, body],
  );
}
