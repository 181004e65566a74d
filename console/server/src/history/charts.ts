import type { Pool } from 'pg';
import {
  BUCKETS,
  type BucketName,
  type ChartQuery,
  type Exercise,
  type HeatmapQuery,
  type VolumeQuery,
} from './history-query';

const exerciseOnly = (e: Exercise): boolean | null => (e === 'include' ? null : e === 'only');

const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
/** The default chart range when `from` is not given: the last 30 days. */
export const DEFAULT_CHART_DAYS = 30;
/** At most this many buckets in one answer; a finer step over a longer range is refused with a 400. */
export const MAX_BUCKETS = 3000;

export interface ChartRange {
  from: Date;
  to: Date;
}

/**
 * The range of a chart, widened to whole 15-minute rollup buckets (a chart never counts part of a bucket).
 * Defaults: up to now, 30 days back.
 */
export function chartRange(q: { from?: string; to?: string }, now = Date.now()): ChartRange {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : to - DEFAULT_CHART_DAYS * DAY_MS;
  return {
    from: new Date(Math.floor(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS),
    to: new Date(Math.ceil(to / QUARTER_HOUR_MS) * QUARTER_HOUR_MS),
  };
}

/** The step the console picks from the range: about 100 to 750 points for any range. */
export function bucketFor(range: ChartRange): BucketName {
  const span = range.to.getTime() - range.from.getTime();
  if (span <= 2 * DAY_MS) return '15m';
  if (span <= 31 * DAY_MS) return '1h';
  if (span <= 180 * DAY_MS) return '6h';
  return '1d';
}

// Buckets below a day are UTC-aligned (an hour is the same hour everywhere but in half-hour zones, and a local
// hour repeats when the clocks go back); day buckets are the site's local days, 23 or 25 hours at DST changes.
// Every series is zero-filled from generate_series so a chart has one point per bucket.
const VOLUME_SUB_DAY = `
WITH series AS (
  SELECT t FROM generate_series(date_bin($3::interval, $1::timestamptz, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
                                $2::timestamptz - INTERVAL '1 microsecond', $3::interval) AS t
),
ev AS (
  SELECT date_bin($3::interval, bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS t, sum(events)::bigint AS n
  FROM sensor_events_15m
  WHERE site_id = $4 AND bucket >= $1 AND bucket < $2
    AND ($5::text IS NULL OR wing_id = $5) AND ($6::text[] IS NULL OR kind = ANY($6))
    AND ($7::boolean IS NULL OR exercise = $7)
  GROUP BY 1
),
al AS (
  SELECT date_bin($3::interval, bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS t, sum(alerts)::bigint AS n
  FROM alerts_15m
  WHERE site_id = $4 AND bucket >= $1 AND bucket < $2
    AND ($5::text IS NULL OR wing_id = $5) AND ($8::text[] IS NULL OR rule = ANY($8))
    AND ($9::text[] IS NULL OR severity = ANY($9)) AND ($7::boolean IS NULL OR exercise = $7)
  GROUP BY 1
)
SELECT s.t, coalesce(ev.n, 0)::float8 AS events, coalesce(al.n, 0)::float8 AS alerts
FROM series s LEFT JOIN ev ON ev.t = s.t LEFT JOIN al ON al.t = s.t
ORDER BY s.t`;

const VOLUME_DAILY = `
WITH series AS (
  SELECT d AT TIME ZONE $10 AS t
  FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE $10),
                       ($2::timestamptz - INTERVAL '1 microsecond') AT TIME ZONE $10, INTERVAL '1 day') AS d
),
ev AS (
  SELECT date_trunc('day', bucket AT TIME ZONE $10) AT TIME ZONE $10 AS t, sum(events)::bigint AS n
  FROM sensor_events_15m
  WHERE site_id = $4 AND bucket >= $1 AND bucket < $2
    AND ($5::text IS NULL OR wing_id = $5) AND ($6::text[] IS NULL OR kind = ANY($6))
    AND ($7::boolean IS NULL OR exercise = $7) AND $3::interval IS NOT NULL
  GROUP BY 1
),
al AS (
  SELECT date_trunc('day', bucket AT TIME ZONE $10) AT TIME ZONE $10 AS t, sum(alerts)::bigint AS n
  FROM alerts_15m
  WHERE site_id = $4 AND bucket >= $1 AND bucket < $2
    AND ($5::text IS NULL OR wing_id = $5) AND ($8::text[] IS NULL OR rule = ANY($8))
    AND ($9::text[] IS NULL OR severity = ANY($9)) AND ($7::boolean IS NULL OR exercise = $7)
  GROUP BY 1
)
SELECT s.t, coalesce(ev.n, 0)::float8 AS events, coalesce(al.n, 0)::float8 AS alerts
FROM series s LEFT JOIN ev ON ev.t = s.t LEFT JOIN al ON al.t = s.t
ORDER BY s.t`;

export interface VolumeChart {
  siteId: string;
  timezone: string;
  from: string;
  to: string;
  bucket: BucketName;
  points: { t: string; events: number; alerts: number }[];
}

/** Events and alerts (by opening time) per bucket, from the 15-minute rollups. */
export async function volumeChart(
  pool: Pool,
  site: { id: string; timezone: string },
  q: VolumeQuery,
  range: ChartRange,
): Promise<VolumeChart> {
  const bucket = q.bucket ?? bucketFor(range);
  const { rows } = await pool.query<{ t: Date; events: number; alerts: number }>(
    bucket === '1d' ? VOLUME_DAILY : VOLUME_SUB_DAY,
    [
      range.from,
      range.to,
      `${BUCKETS[bucket] / 60_000} minutes`,
      site.id,
      q.wingId ?? null,
      q.kind ?? null,
      exerciseOnly(q.exercise),
      q.rule ?? null,
      q.severity ?? null,
      ...(bucket === '1d' ? [site.timezone] : []),
    ],
  );
  return {
    siteId: site.id,
    timezone: site.timezone,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    bucket,
    points: rows.map((r) => ({ t: r.t.toISOString(), events: r.events, alerts: r.alerts })),
  };
}

// Each 15-minute bucket converted to the site's wall clock on its own, so the hour of day is right on both
// sides of a DST change (and in zones a half or quarter hour off UTC). Converting each bucket of the range once
// (a few thousand) instead of each rollup row (one per wing and kind) halves the heatmap's time.
const HEATMAP = `
WITH local AS (
  SELECT b, extract(hour FROM b AT TIME ZONE $4)::int AS hour
  FROM generate_series($2::timestamptz, $3::timestamptz - INTERVAL '1 microsecond', INTERVAL '15 minutes') AS b
)
SELECT r.wing_id, l.hour, sum(r.events)::float8 AS n
FROM sensor_events_15m r JOIN local l ON l.b = r.bucket
WHERE r.site_id = $1 AND r.bucket >= $2 AND r.bucket < $3 AND r.wing_id IS NOT NULL
  AND ($5::text[] IS NULL OR r.kind = ANY($5)) AND ($6::boolean IS NULL OR r.exercise = $6)
GROUP BY 1, 2`;

export interface Heatmap {
  siteId: string;
  timezone: string;
  from: string;
  to: string;
  kinds: string[];
  /** One row per wing of the site model, `hours[h]` the events in local hour h (0..23) over the range. */
  wings: { wingId: string; name: string; hours: number[] }[];
}

/** Events per wing and local hour of day. Heartbeats have no wing; by default every other kind counts. */
export async function wingHourHeatmap(
  pool: Pool,
  site: { id: string; timezone: string; wings: { id: string; name: string }[] },
  q: HeatmapQuery,
  range: ChartRange,
): Promise<Heatmap> {
  const kinds = q.kind ?? ['drone', 'gsm', 'search', 'roster'];
  const { rows } = await pool.query<{ wing_id: string; hour: number; n: number }>(HEATMAP, [
    site.id,
    range.from,
    range.to,
    site.timezone,
    kinds,
    exerciseOnly(q.exercise),
  ]);
  const wings = site.wings.map((w) => ({ wingId: w.id, name: w.name, hours: new Array<number>(24).fill(0) }));
  const byId = new Map(wings.map((w) => [w.wingId, w]));
  for (const r of rows) {
    const wing = byId.get(r.wing_id);
    if (wing) wing.hours[r.hour] = r.n;
  }
  return {
    siteId: site.id,
    timezone: site.timezone,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    kinds,
    wings,
  };
}

const DRONES = `
WITH local AS (
  SELECT b, extract(isodow FROM b AT TIME ZONE $4)::int AS dow, extract(hour FROM b AT TIME ZONE $4)::int AS hour
  FROM generate_series($2::timestamptz, $3::timestamptz - INTERVAL '1 microsecond', INTERVAL '15 minutes') AS b
)
SELECT l.dow, l.hour, sum(r.alerts)::float8 AS n
FROM alerts_15m r JOIN local l ON l.b = r.bucket
WHERE r.site_id = $1 AND r.bucket >= $2 AND r.bucket < $3 AND r.rule = 'drone-incursion'
  AND ($5::boolean IS NULL OR r.exercise = $5)
GROUP BY 1, 2`;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Drone incursions (alerts of rule `drone-incursion`, by the local time they were raised) per weekday and hour:
 * `counts[0]` is Monday, `counts[d][h]` local hour h.
 */
export async function droneWeekdayHour(
  pool: Pool,
  site: { id: string; timezone: string },
  q: ChartQuery,
  range: ChartRange,
) {
  const { rows } = await pool.query<{ dow: number; hour: number; n: number }>(DRONES, [
    site.id,
    range.from,
    range.to,
    site.timezone,
    exerciseOnly(q.exercise),
  ]);
  const counts = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  for (const r of rows) counts[r.dow - 1]![r.hour] = r.n;
  return {
    siteId: site.id,
    timezone: site.timezone,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    weekdays: WEEKDAYS,
    counts,
  };
}

// The verdict on each alert from its last outcome: a search that found a phone or SIM in one of its cells
// (result confirmed), or the operator's resolve outcome (alert_actions.detail.outcome).
const VERDICTS = `
WITH last AS (
  SELECT DISTINCT ON (o.alert_id) o.alert_id, o.rule, o.result, o.sensor_ids, x.detail->>'outcome' AS outcome
  FROM alert_outcomes o LEFT JOIN alert_actions x ON x.alert_id = o.alert_id AND x.rev = o.rev
  WHERE o.site_id = $1 AND o.resolved_at >= $2 AND o.resolved_at < $3 AND ($4::boolean IS NULL OR o.exercise = $4)
  ORDER BY o.alert_id, o.rev DESC
),
judged AS (
  SELECT rule, sensor_ids,
         CASE WHEN result = 'confirmed' OR outcome = 'confirmed' THEN 'confirmed'
              WHEN outcome = 'false-positive' THEN 'false-positive'
              WHEN result = 'auto' THEN 'auto'
              ELSE coalesce(outcome, 'unjudged') END AS verdict
  FROM last
)`;

const COUNTS = `count(*)::int AS resolved,
  count(*) FILTER (WHERE verdict = 'confirmed')::int AS confirmed,
  count(*) FILTER (WHERE verdict = 'false-positive')::int AS false_positive,
  count(*) FILTER (WHERE verdict = 'duplicate')::int AS duplicate,
  count(*) FILTER (WHERE verdict = 'search-ordered')::int AS search_ordered,
  count(*) FILTER (WHERE verdict = 'auto')::int AS auto`;

const PRECISION_BY_RULE = `${VERDICTS} SELECT rule AS key, ${COUNTS} FROM judged GROUP BY 1 ORDER BY 1`;
const PRECISION_BY_SENSOR = `${VERDICTS} SELECT s AS key, ${COUNTS} FROM judged, unnest(sensor_ids) AS s GROUP BY 1 ORDER BY 1`;

interface CountRow {
  key: string;
  resolved: number;
  confirmed: number;
  false_positive: number;
  duplicate: number;
  search_ordered: number;
  auto: number;
}

const precisionOf = (r: CountRow) => ({
  resolved: r.resolved,
  confirmed: r.confirmed,
  falsePositive: r.false_positive,
  duplicate: r.duplicate,
  searchOrdered: r.search_ordered,
  auto: r.auto,
  // Judged alerts only: duplicates, "search ordered" without a result and self-resolved alerts say nothing
  // about whether the rule was right.
  precision: r.confirmed + r.false_positive > 0 ? r.confirmed / (r.confirmed + r.false_positive) : null,
});

/** Precision per rule and per sensor of the alerts resolved in the range (console/server README, "Precision"). */
export async function precision(pool: Pool, site: { id: string }, q: ChartQuery, range: ChartRange) {
  const params = [site.id, range.from, range.to, exerciseOnly(q.exercise)];
  const [byRule, bySensor] = await Promise.all([
    pool.query<CountRow>(PRECISION_BY_RULE, params),
    pool.query<CountRow>(PRECISION_BY_SENSOR, params),
  ]);
  return {
    siteId: site.id,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    byRule: byRule.rows.map((r) => ({ rule: r.key, ...precisionOf(r) })),
    bySensor: bySensor.rows.map((r) => ({ sensorId: r.key, ...precisionOf(r) })),
  };
}
