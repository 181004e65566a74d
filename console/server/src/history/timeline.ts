import type { Pool } from 'pg';
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

const ALERTS = `
SELECT alert_id, rule, severity, status, to_json(opened_at)#>>'{}' AS at, to_json(last_event_at)#>>'{}' AS last_at,
       body->'title' AS title, body->'cellIds' AS cell_ids
FROM alerts
WHERE body->'detaineeIds' ? $1 AND ($2::text IS NULL OR site_id = $2)
  AND last_event_at >= $3 AND first_event_at < $4 AND ($5::boolean IS NULL OR exercise = $5)`;

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
 * A detainee's history in one answer, ordered by time: placements (roster events), GSM activity per hour in the
 * cells while they were there, alerts naming them, searches of those cells while they were there and searches naming
 * them. At most `limit` items; `truncated` says the range should be narrowed.
 */
export async function detaineeTimeline(pool: Pool, detaineeId: string, q: TimelineQuery, now = Date.now()) {
  const exercise = exerciseOnly(q.exercise);
  const from = q.from ? new Date(q.from) : new Date(0);
  const to = q.to ? new Date(q.to) : new Date(now);
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
      since: new Date(Math.max(Date.parse(s.from), from.getTime())),
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
      from,
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
    }>(ALERTS, [detaineeId, q.siteId ?? null, from, to, exercise]),
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
  for (const g of gsm.rows) items.push({ at: g.at, type: 'gsm', cellId: g.cell, events: g.n });
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
  // Times as stored (microseconds) sort as instants; ties keep a stable order by type.
  items.sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || x.at.localeCompare(y.at));
  const truncated = items.length > q.limit;
  return {
    detaineeId,
    from: from.toISOString(),
    to: to.toISOString(),
    stays,
    items: items.slice(0, q.limit),
    truncated,
  };
}
