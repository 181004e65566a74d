import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Alert, SensorEventInput } from '@wachtpost/contracts';
import { copyText, prepareBatch, SENSOR_EVENT_COLUMNS } from '@wachtpost/ingest';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { storeAlertRows } from '../support/console';
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

/**
 * Stores an alert as the detectors do (current state and its opening revision, dated `openedAt`, the time the
 * alert charts count it at), without publishing it.
 */
export async function storeAlert(db: pg.Pool | pg.PoolClient, alert: Alert): Promise<void> {
  await storeAlertRows(db, alert, { historyAt: alert.openedAt });
}
