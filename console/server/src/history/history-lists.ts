import type { Pool, PoolClient } from 'pg';
import { decodeCursor, keysetPage } from '../http/cursor';
import type { AlertFilter, EventFilter, Exercise, SearchFilter } from './history-query';

type Db = Pool | PoolClient;
type After = { time: string; id: string } | undefined;

/** Every list is newest first by its time, the id breaking ties; `sort_time` is the time as stored, for cursors. */
interface Keyed {
  sort_time: string;
  id: string;
}

export interface EventRow extends Keyed {
  body: Record<string, unknown>;
  site_id: string;
  kind: string;
  sensor_id: string;
  wing_id: string | null;
  zone_id: string | null;
  exercise: boolean;
  seq: string | null;
}

export interface AlertRow extends Keyed {
  body: Record<string, unknown> & { cellIds?: string[]; detaineeIds?: string[]; sensorIds?: string[] };
}

/** `exercise` as SQL: include shows both, only shows exercise rows, false hides them. */
const exerciseOnly = (e: Exercise): boolean | null => (e === 'include' ? null : e === 'only');

// The filters of each list are fixed SQL with parameters: a filter not given is NULL and drops out when the
// statement is planned (node-postgres sends unnamed statements, planned with their values).
const EVENTS = `
SELECT event_id AS id, to_json(observed_at)#>>'{}' AS sort_time, body, site_id, kind, sensor_id, wing_id, zone_id,
       exercise, seq
FROM sensor_events
WHERE ($1::text IS NULL OR site_id = $1)
  AND ($2::text IS NULL OR wing_id = $2)
  AND ($3::text IS NULL OR zone_id = $3 OR (kind = 'search' AND body->'cellIds' ? $3))
  AND ($4::text[] IS NULL OR kind = ANY($4))
  AND ($5::text IS NULL OR sensor_id = $5)
  AND ($6::text IS NULL
       OR (kind = 'roster' AND body->>'detaineeId' = $6)
       OR (kind = 'search' AND (body->'occupants' ? $6
                                OR body->'findings' @> jsonb_build_array(jsonb_build_object('attributedTo', $6::text)))))
  AND ($7::timestamptz IS NULL OR observed_at >= $7)
  AND ($8::timestamptz IS NULL OR observed_at < $8)
  AND ($9::boolean IS NULL OR exercise = $9)
  AND ($10::timestamptz IS NULL OR (observed_at, event_id) < ($10, $11))
ORDER BY observed_at DESC, event_id DESC
LIMIT $12`;

const eventParams = (q: EventFilter, after: After, limit: number) => [
  q.siteId ?? null,
  q.wingId ?? null,
  q.cellId ?? null,
  q.kind ?? null,
  q.sensorId ?? null,
  q.detaineeId ?? null,
  q.from ?? null,
  q.to ?? null,
  exerciseOnly(q.exercise),
  after?.time ?? null,
  after?.id ?? null,
  limit,
];

// Searches are events of kind search; their own partial index (site, time) keeps them quick among millions.
const SEARCHES = `
SELECT event_id AS id, to_json(observed_at)#>>'{}' AS sort_time, body, site_id, kind, sensor_id, wing_id, zone_id,
       exercise, seq
FROM sensor_events
WHERE kind = 'search'
  AND ($1::text IS NULL OR site_id = $1)
  AND ($2::text IS NULL OR wing_id = $2)
  AND ($3::text IS NULL OR body->'cellIds' ? $3)
  AND ($4::text IS NULL OR body->'occupants' ? $4
       OR body->'findings' @> jsonb_build_array(jsonb_build_object('attributedTo', $4::text)))
  AND ($5::boolean IS NULL OR (jsonb_array_length(body->'findings') > 0) = $5)
  AND ($6::timestamptz IS NULL OR observed_at >= $6)
  AND ($7::timestamptz IS NULL OR observed_at < $7)
  AND ($8::boolean IS NULL OR exercise = $8)
  AND ($9::timestamptz IS NULL OR (observed_at, event_id) < ($9, $10))
ORDER BY observed_at DESC, event_id DESC
LIMIT $11`;

const searchParams = (q: SearchFilter, after: After, limit: number) => [
  q.siteId ?? null,
  q.wingId ?? null,
  q.cellId ?? null,
  q.detaineeId ?? null,
  q.found ?? null,
  q.from ?? null,
  q.to ?? null,
  exerciseOnly(q.exercise),
  after?.time ?? null,
  after?.id ?? null,
  limit,
];

// Alerts by the time they were raised (openedAt): an analyst's archive, not the board's "latest change" order.
const ALERTS = `
SELECT alert_id AS id, to_json(opened_at)#>>'{}' AS sort_time, body
FROM alerts
WHERE ($1::text IS NULL OR site_id = $1)
  AND ($2::text IS NULL OR wing_id = $2)
  AND ($3::text IS NULL OR body->'cellIds' ? $3)
  AND ($4::text[] IS NULL OR rule = ANY($4))
  AND ($5::text[] IS NULL OR severity = ANY($5))
  AND ($6::text[] IS NULL OR status = ANY($6))
  AND ($7::text IS NULL OR body->'detaineeIds' ? $7)
  AND ($8::timestamptz IS NULL OR opened_at >= $8)
  AND ($9::timestamptz IS NULL OR opened_at < $9)
  AND ($10::boolean IS NULL OR exercise = $10)
  AND ($11::timestamptz IS NULL OR (opened_at, alert_id) < ($11, $12))
ORDER BY opened_at DESC, alert_id DESC
LIMIT $13`;

const alertParams = (q: AlertFilter, after: After, limit: number) => [
  q.siteId ?? null,
  q.wingId ?? null,
  q.cellId ?? null,
  q.rule ?? null,
  q.severity ?? null,
  q.status ?? null,
  q.detaineeId ?? null,
  q.from ?? null,
  q.to ?? null,
  exerciseOnly(q.exercise),
  after?.time ?? null,
  after?.id ?? null,
  limit,
];

interface ListKind<Q, R extends Keyed> {
  sql: string;
  params: (q: Q, after: After, limit: number) => unknown[];
  _row?: R;
}

export const LISTS = {
  events: { sql: EVENTS, params: eventParams } as ListKind<EventFilter, EventRow>,
  searches: { sql: SEARCHES, params: searchParams } as ListKind<SearchFilter, EventRow>,
  alerts: { sql: ALERTS, params: alertParams } as ListKind<AlertFilter, AlertRow>,
};

/** One keyset page: `limit + 1` rows fetched, the extra one only says that more follow. */
export async function listPage<Q, R extends Keyed>(
  db: Db,
  list: ListKind<Q, R>,
  q: Q,
  limit: number,
  cursor: string | undefined,
): Promise<{ rows: R[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor) : undefined;
  const { rows } = await db.query<R>(list.sql, list.params(q, after, limit + 1));
  const { page, nextCursor } = keysetPage(rows, limit, (r) => ({ time: r.sort_time, id: r.id }));
  return { rows: page, nextCursor };
}

export const EXPORT_BATCH = 5000;

/**
 * Every row of a filter, in keyset batches read inside one REPEATABLE READ transaction: memory holds one batch
 * whatever the size of the export, and the export is one consistent snapshot (rows committed meanwhile are
 * neither half in nor counted twice). Stopping the iteration (the client went away) ends the transaction.
 */
export async function* exportBatches<Q, R extends Keyed>(
  pool: Pool,
  list: ListKind<Q, R>,
  q: Q,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<R[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let after: After;
    for (;;) {
      const { rows } = await client.query<R>(list.sql, list.params(q, after, batchSize));
      if (rows.length > 0) yield rows;
      const last = rows[rows.length - 1];
      if (rows.length < batchSize || !last) break;
      after = { time: last.sort_time, id: last.id };
    }
    await client.query('COMMIT');
  } finally {
    // A client abandoned mid-transaction (an error, a closed download) goes back to the pool rolled back.
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

export interface AlertRevisionRow {
  rev: number;
  change: string;
  previous_severity: string | null;
  status: string;
  severity: string;
  incomplete: string[] | null;
  late: boolean;
  updated_at: Date;
  body: Record<string, unknown>;
  action: string | null;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

/** An alert as it is now and every revision it went through, oldest first, with the console action behind it. */
export async function alertWithHistory(db: Db, alertId: string) {
  const current = await db.query<{ body: Record<string, unknown> }>(
    'SELECT body FROM alerts WHERE alert_id = $1',
    [alertId],
  );
  const alert = current.rows[0]?.body;
  if (!alert) return undefined;
  const { rows } = await db.query<AlertRevisionRow>(
    `SELECT h.rev, h.change, h.previous_severity, h.status, h.severity, h.incomplete, h.late, h.updated_at, h.body,
            x.action, x.actor, x.detail
     FROM alert_history h LEFT JOIN alert_actions x ON x.alert_id = h.alert_id AND x.rev = h.rev
     WHERE h.alert_id = $1 ORDER BY h.rev`,
    [alertId],
  );
  return {
    alert,
    history: rows.map((h) => ({
      rev: h.rev,
      change: h.change,
      status: h.status,
      severity: h.severity,
      ...(h.previous_severity && { previousSeverity: h.previous_severity }),
      ...(h.incomplete && { incomplete: h.incomplete }),
      late: h.late,
      updatedAt: h.updated_at.toISOString(),
      ...(h.action && { action: { action: h.action, actor: h.actor ?? '', detail: h.detail ?? {} } }),
      alert: h.body,
    })),
  };
}
