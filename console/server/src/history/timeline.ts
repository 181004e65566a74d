import type { Pool } from 'pg';
import { decodeCursor, keysetPage } from '../http/cursor';
import type { Exercise, TimelineQuery } from './history-query';

const exerciseOnly = (e: Exercise): boolean | null => (e === 'include' ? null : e === 'only');

/** A spell in one cell: from an admit or move until the next move or release (open-ended while still there). */
export interface Stay {
  cellId: string;
  siteId: string;
  from: string;
  to: string | null;
}

export type TimelineItem =
  | { at: string; type: 'roster'; eventId: string; action: string; cellId: string | null; observedAt: string }
  | {
      /** The start of the hour; `events` GSM events were seen in the cell in it (within the stay). */
      at: string;
      type: 'gsm';
      cellId: string;
      events: number;
    }
  | {
      at: string;
      type: 'alert';
      alertId: string;
      rule: string;
      severity: string;
      status: string;
      title: unknown;
      cellIds: unknown;
      lastEventAt: string;
    }
  | {
      at: string;
      type: 'search';
      eventId: string;
      searchId: unknown;
      searchType: unknown;
      cellIds: unknown;
      /** Why it is on this timeline: a search of a cell the detainee was in, or one naming the detainee. */
      reason: 'cell' | 'named';
      findings: unknown[];
    };

// Placements by effective time (a late correction counts from when it took effect, not when it was sent).
const PLACEMENTS = `
SELECT event_id, site_id, body->>'action' AS action, body->>'cellId' AS cell_id,
       to_json((body->>'effectiveAt')::timestamptz)#>>'{}' AS at, to_json(observed_at)#>>'{}' AS observed_at
FROM sensor_events
WHERE kind = 'roster' AND body->>'detaineeId' = $1
  AND ($2::text IS NULL OR site_id = $2) AND ($3::boolean IS NULL OR exercise = $3)
ORDER BY (body->>'effectiveAt')::timestamptz, observed_at, event_id`;

// GSM activity in each stay's cell during the stay, counted per hour: an index-only scan of the partial GSM
// index (migration 007), whatever the traffic on the cell. The events themselves are one
// /api/history/events?cellId=&kind=gsm query away.
const GSM = `
SELECT s.cell, to_json(g.hour)#>>'{}' AS at, g.n
FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS s(site_id, cell, since, until)
CROSS JOIN LATERAL (
  SELECT date_bin(INTERVAL '1 hour', observed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour, count(*)::int AS n
  FROM sensor_events
  WHERE kind = 'gsm' AND zone_id = s.cell AND site_id = s.site_id
    AND observed_at >= s.since AND observed_at < s.until AND ($5::boolean IS NULL OR exercise = $5)
  GROUP BY 1
) g`;

// Searches of those cells during the stays, and searches anywhere that name the detainee (occupant, finding).
const SEARCHES = `
SELECT DISTINCT ON (e.event_id) e.event_id, to_json(e.observed_at)#>>'{}' AS at, e.body, s.cell
FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS s(site_id, cell, since, until)
JOIN sensor_events e ON e.kind = 'search' AND e.body->'cellIds' ? s.cell AND e.site_id = s.site_id
  AND e.observed_at >= s.since AND e.observed_at < s.until AND ($5::boolean IS NULL OR e.exercise = $5)
ORDER BY e.event_id`;

const NAMED_SEARCHES = `
SELECT event_id, to_json(observed_at)#>>'{}' AS at, body
FROM sensor_events
WHERE kind = 'search' AND ($2::text IS NULL OR site_id = $2)
  AND observed_at >= $3 AND observed_at < $4 AND ($5::boolean IS NULL OR exercise = $5)
  AND (body->'occupants' ? $1 OR body->'findings' @> jsonb_build_array(jsonb_build_object('attributedTo', $1::text)))`;

// $6: a later page starts at its cursor's time (the item's time is opened_at, not the range's event times).
const ALERTS = `
SELECT alert_id, rule, severity, status, to_json(opened_at)#>>'{}' AS at, to_json(last_event_at)#>>'{}' AS last_at,
       body->'title' AS title, body->'cellIds' AS cell_ids
FROM alerts
WHERE body->'detaineeIds' ? $1 AND ($2::text IS NULL OR site_id = $2)
  AND last_event_at >= $3 AND first_event_at < $4 AND ($5::boolean IS NULL OR exercise = $5)
  AND ($6::timestamptz IS NULL OR opened_at >= $6)`;

/**
 * An instant as stored (`2026-03-01T10:00:00.12+00:00`, to the microsecond, trailing zeros dropped) as fixed-width
 * UTC text (`2026-03-01T10:00:00.120000Z`), so instants compare exactly as strings.
 */
export function instantKey(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${at}`);
  // Date keeps milliseconds (it truncates); the fourth to sixth digits of the fraction are the microseconds.
  const micros = (/\.(\d+)/.exec(at)?.[1] ?? '').padEnd(6, '0').slice(3, 6);
  return `${new Date(ms).toISOString().slice(0, 23)}${micros}Z`;
}

type Key = { time: string; id: string };

/**
 * An item's place on the timeline: its time, then its type and id (unique: event ids, alert ids, and one GSM
 * item per cell and hour). The page cursor is this key of a page's last item.
 */
export function timelineKey(item: TimelineItem): Key {
  const id = item.type === 'alert' ? item.alertId : item.type === 'gsm' ? item.cellId : item.eventId;
  return { time: instantKey(item.at), id: `${item.type}:${id}` };
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Keys in timeline order (by code unit, as the cursor compares them). */
const compareKeys = (a: Key, b: Key) => text(a.time, b.time) || text(a.id, b.id);

/** Stays from placements in effective order; a release (or the next admit or move) closes the open stay. */
export function staysOf(
  placements: { site_id: string; action: string; cell_id: string | null; at: string }[],
): Stay[] {
  const stays: Stay[] = [];
  let open: Stay | undefined;
  for (const p of placements) {
    if (open) {
      open.to = p.at;
      open = undefined;
    }
    if ((p.action === 'admit' || p.action === 'move') && p.cell_id) {
      open = { cellId: p.cell_id, siteId: p.site_id, from: p.at, to: null };
      stays.push(open);
    }
  }
  return stays;
}

/**
 * A detainee's history, a page at a time, ordered by time (then type and id): placements (roster events), GSM
 * activity per hour in the cells while they were there, alerts naming them, searches of those cells while they
 * were there and searches naming them. At most `limit` items after `cursor` (a keyset cursor, as the lists
 * have), and `nextCursor` while more follow, so paging never skips or repeats an item however many arrive
 * meanwhile. The stays are always whole: they come from every placement, and the first page needs them too.
 */
export async function detaineeTimeline(pool: Pool, detaineeId: string, q: TimelineQuery, now = Date.now()) {
  const exercise = exerciseOnly(q.exercise);
  const from = q.from ? new Date(q.from) : new Date(0);
  const to = q.to ? new Date(q.to) : new Date(now);
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  // Nothing before the cursor's instant need be read again: an item at or after it (a search, or a GSM hour,
  // which counts only events at or after its start) holds no event from before it, so clipping the stays and
  // the named searches to the cursor changes no item of this page or a later one. In milliseconds, rounded
  // down; the exact comparison with the cursor is made on the keys below.
  const cursorMs = cursor ? Date.parse(cursor.time) : -Infinity;
  const since = new Date(Math.max(from.getTime(), cursorMs));
  const placements = await pool.query<{
    event_id: string;
    site_id: string;
    action: string;
    cell_id: string | null;
    at: string;
    observed_at: string;
  }>(PLACEMENTS, [detaineeId, q.siteId ?? null, exercise]);
  const stays = staysOf(placements.rows);
  // The stays clipped to the range: only what overlaps it is searched.
  const inRange = stays
    .map((s) => ({
      ...s,
      since: new Date(Math.max(Date.parse(s.from), since.getTime())),
      until: new Date(Math.min(s.to ? Date.parse(s.to) : Infinity, to.getTime())),
    }))
    .filter((s) => s.since < s.until);
  const stayArrays = [
    inRange.map((s) => s.siteId),
    inRange.map((s) => s.cellId),
    inRange.map((s) => s.since),
    inRange.map((s) => s.until),
  ];
  const [gsm, cellSearches, namedSearches, alerts] = await Promise.all([
    pool.query<{ cell: string; at: string; n: number }>(GSM, [...stayArrays, exercise]),
    pool.query<{ event_id: string; at: string; body: Record<string, unknown>; cell: string }>(SEARCHES, [
      ...stayArrays,
      exercise,
    ]),
    pool.query<{ event_id: string; at: string; body: Record<string, unknown> }>(NAMED_SEARCHES, [
      detaineeId,
      q.siteId ?? null,
      since,
      to,
      exercise,
    ]),
    pool.query<{
      alert_id: string;
      rule: string;
      severity: string;
      status: string;
      at: string;
      last_at: string;
      title: unknown;
      cell_ids: unknown;
    }>(ALERTS, [detaineeId, q.siteId ?? null, from, to, exercise, cursor ? new Date(cursorMs) : null]),
  ]);

  const items: TimelineItem[] = [];
  for (const p of placements.rows) {
    const at = Date.parse(p.at);
    if (at >= from.getTime() && at < to.getTime())
      items.push({
        at: p.at,
        type: 'roster',
        eventId: p.event_id,
        action: p.action,
        cellId: p.cell_id,
        observedAt: p.observed_at,
      });
  }
  // Two stays in one cell within an hour (out and back) give that hour twice: one item per cell and hour.
  const hours = new Map<string, Extract<TimelineItem, { type: 'gsm' }>>();
  for (const g of gsm.rows) {
    const key = `${g.cell}\u0000${instantKey(g.at)}`;
    const seen = hours.get(key);
    if (seen) seen.events += g.n;
    else hours.set(key, { at: g.at, type: 'gsm', cellId: g.cell, events: g.n });
  }
  items.push(...hours.values());
  const searchItem = (
    s: { event_id: string; at: string; body: Record<string, unknown> },
    reason: 'cell' | 'named',
  ): TimelineItem => ({
    at: s.at,
    type: 'search',
    eventId: s.event_id,
    searchId: s.body.searchId,
    searchType: s.body.type,
    cellIds: s.body.cellIds,
    reason,
    findings: Array.isArray(s.body.findings) ? s.body.findings : [],
  });
  const seenSearches = new Set<string>();
  for (const s of cellSearches.rows) {
    seenSearches.add(s.event_id);
    items.push(searchItem(s, 'cell'));
  }
  for (const s of namedSearches.rows) if (!seenSearches.has(s.event_id)) items.push(searchItem(s, 'named'));
  for (const a of alerts.rows) {
    items.push({
      at: a.at,
      type: 'alert',
      alertId: a.alert_id,
      rule: a.rule,
      severity: a.severity,
      status: a.status,
      title: a.title,
      cellIds: a.cell_ids,
      lastEventAt: a.last_at,
    });
  }
  const keyed = items
    .map((item) => ({ item, key: timelineKey(item) }))
    .filter((k) => !cursor || compareKeys(k.key, cursor) > 0)
    .sort((x, y) => compareKeys(x.key, y.key));
  const { page, nextCursor } = keysetPage(keyed, q.limit, (k) => k.key);
  return {
    detaineeId,
    from: from.toISOString(),
    to: to.toISOString(),
    stays,
    items: page.map((k) => k.item),
    nextCursor,
    /** Kept for older clients: more items follow (`nextCursor`). */
    truncated: nextCursor !== null,
  };
}
