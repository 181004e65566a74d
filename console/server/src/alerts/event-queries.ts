import type { Pool } from 'pg';
import type { EventListQuery } from '../api/list-query';
import { decodeCursor, keysetPage } from '../http/cursor';

const LIST = `
SELECT body, to_json(observed_at)#>>'{}' AS sort_time, event_id, stream_seq
FROM sensor_events
WHERE ($1::text IS NULL OR site_id = $1)
  AND ($2::text IS NULL OR wing_id = $2)
  AND ($3::text[] IS NULL OR kind = ANY($3))
  AND ($4::timestamptz IS NULL OR observed_at >= $4)
  AND ($5::timestamptz IS NULL OR observed_at < $5)
  AND ($6::text IS NULL OR sensor_id = $6)
  AND ($7::timestamptz IS NULL OR (observed_at, event_id) < ($7, $8))
  AND ($10::text[] IS NULL OR (kind = 'heartbeat' AND body->>'status' = ANY($10)))
ORDER BY observed_at DESC, event_id DESC
LIMIT $9`;

/** Stored sensor events, newest observation first, a page at a time. */
export async function listEvents(
  pool: Pool,
  q: EventListQuery,
): Promise<{ events: unknown[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const { rows } = await pool.query<{ body: unknown; sort_time: string; event_id: string }>(LIST, [
    q.siteId ?? null,
    q.wingId ?? null,
    q.kind ?? null,
    q.from ?? null,
    q.to ?? null,
    q.sensorId ?? null,
    after?.time ?? null,
    after?.id ?? null,
    q.limit + 1,
    q.status ?? null,
  ]);
  const { page, nextCursor } = keysetPage(rows, q.limit, (r) => ({ time: r.sort_time, id: r.event_id }));
  return {
    events: page.map((r) => r.body),
    nextCursor,
  };
}

/** The stored events behind an alert's evidence, in observation order (ids the table lacks are left out). */
export async function evidenceEvents(pool: Pool, eventIds: readonly string[]): Promise<unknown[]> {
  const { rows } = await pool.query<{ body: unknown }>(
    'SELECT body FROM sensor_events WHERE event_id = ANY($1::text[]) ORDER BY observed_at, event_id',
    [eventIds],
  );
  return rows.map((r) => r.body);
}
