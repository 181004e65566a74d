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

/** One filter of a list: its SQL condition on the placeholder it is given (`$n`), and its value from the query. */
interface Filter<Q> {
  sql: (p: string) => string;
  value: (q: Q) => unknown;
}

/** What every list filters on besides its own filters. */
interface CommonFilter {
  siteId?: string;
  wingId?: string;
  from?: string;
  to?: string;
  exercise: Exercise;
}

interface ListKind<Q, R extends Keyed> {
  sql: string;
  params: (q: Q, after: After, limit: number) => unknown[];
  _row?: R;
}

/**
 * A list's statement and its parameters: the list's columns and filters, then what every list shares, numbered
 * after them: site and wing, the time range, exercise data, the keyset cursor, newest first, the page size.
 * Every filter is fixed SQL with a parameter: one not given is NULL and drops out when the statement is planned
 * (node-postgres sends unnamed statements, planned with their values).
 */
function keysetList<Q extends CommonFilter, R extends Keyed>(spec: {
  /** The columns (`id`, `sort_time`, ...), FROM, and a condition every row of the list meets. */
  select: string;
  /** The list's time and id columns: its order, its range and its cursor. */
  time: string;
  id: string;
  filters: Filter<Q>[];
}): ListKind<Q, R> {
  const { time, id } = spec;
  const filters: Filter<Q>[] = [
    { sql: (p) => `(${p}::text IS NULL OR site_id = ${p})`, value: (q) => q.siteId ?? null },
    { sql: (p) => `(${p}::text IS NULL OR wing_id = ${p})`, value: (q) => q.wingId ?? null },
    ...spec.filters,
    { sql: (p) => `(${p}::timestamptz IS NULL OR ${time} >= ${p})`, value: (q) => q.from ?? null },
    { sql: (p) => `(${p}::timestamptz IS NULL OR ${time} < ${p})`, value: (q) => q.to ?? null },
    { sql: (p) => `(${p}::boolean IS NULL OR exercise = ${p})`, value: (q) => exerciseOnly(q.exercise) },
  ];
  const n = filters.length;
  const sql = `${spec.select}
  AND ${filters.map((f, i) => f.sql(`$${i + 1}`)).join('\n  AND ')}
  AND ($${n + 1}::timestamptz IS NULL OR (${time}, ${id}) < ($${n + 1}, $${n + 2}))
ORDER BY ${time} DESC, ${id} DESC
LIMIT $${n + 3}`;
  return {
    sql,
    params: (q, after, limit) => [
      ...filters.map((f) => f.value(q)),
      after?.time ?? null,
      after?.id ?? null,
      limit,
    ],
  };
}

const EVENT_COLUMNS = `event_id AS id, to_json(observed_at)#>>'{}' AS sort_time, body, site_id, kind, sensor_id,
       wing_id, zone_id, exercise, seq`;

const events = keysetList<EventFilter, EventRow>({
  select: `SELECT ${EVENT_COLUMNS}\nFROM sensor_events\nWHERE TRUE`,
  time: 'observed_at',
  id: 'event_id',
  filters: [
    {
      sql: (p) => `(${p}::text IS NULL OR zone_id = ${p} OR (kind = 'search' AND body->'cellIds' ? ${p}))`,
      value: (q) => q.cellId ?? null,
    },
    { sql: (p) => `(${p}::text[] IS NULL OR kind = ANY(${p}))`, value: (q) => q.kind ?? null },
    { sql: (p) => `(${p}::text IS NULL OR sensor_id = ${p})`, value: (q) => q.sensorId ?? null },
    {
      sql: (p) => `(${p}::text IS NULL
       OR (kind = 'roster' AND body->>'detaineeId' = ${p})
       OR (kind = 'search' AND (body->'occupants' ? ${p}
                                OR body->'findings' @> jsonb_build_array(jsonb_build_object('attributedTo', ${p}::text)))))`,
      value: (q) => q.detaineeId ?? null,
    },
  ],
});

// Searches are events of kind search; their own partial index (site, time) keeps them quick among millions.
const searches = keysetList<SearchFilter, EventRow>({
  select: `SELECT ${EVENT_COLUMNS}\nFROM sensor_events\nWHERE kind = 'search'`,
  time: 'observed_at',
  id: 'event_id',
  filters: [
    { sql: (p) => `(${p}::text IS NULL OR body->'cellIds' ? ${p})`, value: (q) => q.cellId ?? null },
    {
      sql: (p) => `(${p}::text IS NULL OR body->'occupants' ? ${p}
       OR body->'findings' @> jsonb_build_array(jsonb_build_object('attributedTo', ${p}::text)))`,
      value: (q) => q.detaineeId ?? null,
    },
    {
      sql: (p) => `(${p}::boolean IS NULL OR (jsonb_array_length(body->'findings') > 0) = ${p})`,
      value: (q) => q.found ?? null,
    },
  ],
});

// Alerts by the time they were raised (openedAt): an analyst's archive, not the board's "latest change" order.
const alerts = keysetList<AlertFilter, AlertRow>({
  select: `SELECT alert_id AS id, to_json(opened_at)#>>'{}' AS sort_time, body\nFROM alerts\nWHERE TRUE`,
  time: 'opened_at',
  id: 'alert_id',
  filters: [
    { sql: (p) => `(${p}::text IS NULL OR body->'cellIds' ? ${p})`, value: (q) => q.cellId ?? null },
    { sql: (p) => `(${p}::text[] IS NULL OR rule = ANY(${p}))`, value: (q) => q.rule ?? null },
    { sql: (p) => `(${p}::text[] IS NULL OR severity = ANY(${p}))`, value: (q) => q.severity ?? null },
    { sql: (p) => `(${p}::text[] IS NULL OR status = ANY(${p}))`, value: (q) => q.status ?? null },
    { sql: (p) => `(${p}::text IS NULL OR body->'detaineeIds' ? ${p})`, value: (q) => q.detaineeId ?? null },
  ],
});

export const LISTS = { events, searches, alerts };

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
