// The console server's history API for analysts (console/server/README.md, "History (analysts)"), through the
// app's client. The server refuses unknown query parameters (400), so each list and chart gets only its own.
import { RULE_IDS } from '@wachtpost/contracts/rule-ids';
import { request } from '../api';

export type ListName = 'events' | 'alerts' | 'searches';
export const LIST_NAMES: readonly ListName[] = ['events', 'alerts', 'searches'];

export const EVENT_KINDS = ['gsm', 'drone', 'search', 'roster', 'heartbeat'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
/** The detectors' rules, offered as choices: a mistyped rule id would find nothing and say nothing. */
export const RULES: readonly string[] = RULE_IDS;

/** What the filter form holds; empty strings are "any". Times are `datetime-local` values (local time). */
export interface HistoryFilters {
  from: string;
  to: string;
  siteId: string;
  wingId: string;
  cellId: string;
  kind: string;
  rule: string;
  severity: string;
  detaineeId: string;
  /** Searches: `true` only those that found something, `false` only those that found nothing. */
  found: '' | 'true' | 'false';
  exercise: boolean;
}

export const EMPTY_FILTERS: HistoryFilters = {
  from: '',
  to: '',
  siteId: '',
  wingId: '',
  cellId: '',
  kind: '',
  rule: '',
  severity: '',
  detaineeId: '',
  found: '',
  exercise: false,
};

/** Which filters each list takes (the rest would be refused by the server). */
export const LIST_FILTERS: Record<ListName, readonly (keyof HistoryFilters)[]> = {
  events: ['siteId', 'wingId', 'cellId', 'kind', 'detaineeId'],
  alerts: ['siteId', 'wingId', 'cellId', 'rule', 'severity', 'detaineeId'],
  searches: ['siteId', 'wingId', 'cellId', 'detaineeId', 'found'],
};

/** A `datetime-local` value (local time, no zone) as RFC 3339 UTC; undefined when empty or not a time. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function base(f: HistoryFilters): URLSearchParams {
  const p = new URLSearchParams();
  const from = localToIso(f.from);
  const to = localToIso(f.to);
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  // Exercise data is hidden by default (the server's `false`); ticked, it is shown beside the real data.
  if (f.exercise) p.set('exercise', 'include');
  return p;
}

function put(p: URLSearchParams, f: HistoryFilters, keys: readonly (keyof HistoryFilters)[]) {
  for (const k of keys) {
    const v = f[k];
    if (typeof v === 'string' && v.trim()) p.set(k, v.trim());
  }
}

/** The query of a list (without limit and cursor), as `a=b&c=d` with no leading `?`. */
export function listQuery(list: ListName, f: HistoryFilters): string {
  const p = base(f);
  put(p, f, LIST_FILTERS[list]);
  return p.toString();
}

const withQuery = (path: string, q: string) => (q ? `${path}?${q}` : path);

export function listPath(list: ListName, f: HistoryFilters, page: { limit?: number; cursor?: string } = {}) {
  const p = new URLSearchParams(listQuery(list, f));
  if (page.limit) p.set('limit', String(page.limit));
  if (page.cursor) p.set('cursor', page.cursor);
  return withQuery(`/api/history/${list}`, p.toString());
}

/** The CSV export of the same filtered view: a plain same-origin link, the session cookie goes with it. */
export const csvHref = (list: ListName, f: HistoryFilters) =>
  withQuery(`/api/history/${list}.csv`, listQuery(list, f));

export type ChartName = 'volume' | 'heatmap' | 'drones' | 'precision';
const CHART_FILTERS: Record<ChartName, readonly (keyof HistoryFilters)[]> = {
  volume: ['siteId', 'wingId', 'kind', 'rule', 'severity'],
  heatmap: ['siteId', 'kind'],
  drones: ['siteId'],
  precision: ['siteId'],
};

const FILTER_LABELS: Partial<Record<keyof HistoryFilters, string>> = {
  wingId: 'Wing',
  cellId: 'Cell',
  kind: 'Kind',
  rule: 'Rule',
  severity: 'Severity',
  detaineeId: 'Detainee',
  found: 'Findings',
};

/**
 * The filters set in `f` that the list shown applies and a chart does not (it counts as if they were empty), by
 * their labels: the list shows one cell while the volume chart counts the whole wing, and the page says so.
 */
export function chartIgnores(chart: ChartName, list: ListName, f: HistoryFilters): string[] {
  return (Object.keys(FILTER_LABELS) as (keyof HistoryFilters)[])
    .filter((k) => LIST_FILTERS[list].includes(k) && !CHART_FILTERS[chart].includes(k))
    .filter((k) => typeof f[k] === 'string' && f[k].trim() !== '')
    .map((k) => FILTER_LABELS[k]!);
}

export function chartPath(chart: ChartName, f: HistoryFilters): string {
  const p = base(f);
  put(p, f, CHART_FILTERS[chart]);
  return withQuery(`/api/history/charts/${chart}`, p.toString());
}

/** A timeline page's query: a range (RFC 3339) around what the analyst looks into, exercise data, the page. */
export interface TimelineOptions {
  from?: string;
  to?: string;
  exercise?: boolean;
  cursor?: string;
  limit?: number;
}

/** A chart's CSV export with the chart's own filters: a plain same-origin link, as the lists' export. */
export function chartCsvHref(chart: ChartName, f: HistoryFilters): string {
  const p = base(f);
  put(p, f, CHART_FILTERS[chart]);
  return withQuery(`/api/history/charts/${chart}.csv`, p.toString());
}

export function timelinePath(detaineeId: string, opts: TimelineOptions = {}): string {
  const p = new URLSearchParams();
  if (opts.from) p.set('from', opts.from);
  if (opts.to) p.set('to', opts.to);
  if (opts.exercise) p.set('exercise', 'include');
  if (opts.limit) p.set('limit', String(opts.limit));
  if (opts.cursor) p.set('cursor', opts.cursor);
  return withQuery(`/api/history/detainees/${encodeURIComponent(detaineeId)}/timeline`, p.toString());
}

export const detaineeHref = (detaineeId: string, opts: { exercise?: boolean } = {}) =>
  `/history/detainees/${encodeURIComponent(detaineeId)}${opts.exercise ? '?exercise=include' : ''}`;

// ---- answers ----

/** A row of any list: sensor events, alerts and search events, as the server stores them. */
export type HistoryRow = Record<string, unknown>;

export interface ListPage {
  rows: HistoryRow[];
  nextCursor: string | null;
}

/** The range a chart counts: From and To widened to whole 15-minute buckets; the last 30 days without From. */
interface ChartRange {
  from: string;
  to: string;
}

export interface VolumeChart extends ChartRange {
  bucket: string;
  timezone: string;
  points: { t: string; events: number; alerts: number }[];
}

export interface Heatmap extends ChartRange {
  timezone: string;
  kinds: string[];
  wings: { wingId: string; name: string; hours: number[] }[];
}

export interface DroneChart extends ChartRange {
  timezone: string;
  weekdays: string[];
  counts: number[][];
}

export interface PrecisionCounts {
  resolved: number;
  confirmed: number;
  falsePositive: number;
  duplicate: number;
  searchOrdered: number;
  auto: number;
  precision: number | null;
}

export interface PrecisionChart {
  byRule: (PrecisionCounts & { rule: string })[];
  bySensor: (PrecisionCounts & { sensorId: string })[];
}

export interface Stay {
  cellId: string;
  siteId: string;
  from: string;
  to: string | null;
}

export type TimelineItem =
  | { at: string; type: 'roster'; eventId: string; action: string; cellId: string | null; observedAt: string }
  | { at: string; type: 'gsm'; cellId: string; events: number }
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
      reason: 'cell' | 'named';
      findings: unknown[];
    };

/** A page of a detainee's timeline: every stay, the items after the cursor asked for, the next page's cursor. */
export interface Timeline {
  stays: Stay[];
  items: TimelineItem[];
  nextCursor: string | null;
}

export const historyApi = {
  async list(
    list: ListName,
    f: HistoryFilters,
    page: { limit?: number; cursor?: string },
  ): Promise<ListPage> {
    const answer = await request<Record<string, unknown>>('GET', listPath(list, f, page));
    const rows = answer[list];
    return {
      rows: Array.isArray(rows) ? (rows as HistoryRow[]) : [],
      nextCursor: typeof answer.nextCursor === 'string' ? answer.nextCursor : null,
    };
  },
  volume: (f: HistoryFilters) => request<VolumeChart>('GET', chartPath('volume', f)),
  heatmap: (f: HistoryFilters) => request<Heatmap>('GET', chartPath('heatmap', f)),
  drones: (f: HistoryFilters) => request<DroneChart>('GET', chartPath('drones', f)),
  precision: (f: HistoryFilters) => request<PrecisionChart>('GET', chartPath('precision', f)),
  timeline: (detaineeId: string, opts: TimelineOptions = {}) =>
    request<Timeline>('GET', timelinePath(detaineeId, opts)),
};

/** Analysts and admins read the history (the server answers 403 to the other roles). */
export const canReadHistory = (role: string): boolean => role === 'analyst' || role === 'admin';
