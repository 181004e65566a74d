import type { SiteIndex } from '@wachtpost/contracts';
import type { z } from 'zod';
import { audit } from '../audit';
import { decodeCursor } from '../http/cursor';
import { HttpError, parseInput, sendJson } from '../http/respond';
import type { RequestContext, Router } from '../http/router';
import {
  BUCKETS,
  AlertFilter,
  AlertPageQuery,
  ChartQuery,
  DetaineeId,
  EventFilter,
  EventPageQuery,
  HeatmapQuery,
  SearchFilter,
  SearchPageQuery,
  TimelineQuery,
  VolumeQuery,
} from '../history/history-query';
import {
  bucketFor,
  chartRange,
  droneWeekdayHour,
  MAX_BUCKETS,
  precision,
  volumeChart,
  wingHourHeatmap,
} from '../history/charts';
import {
  dronesTable,
  heatmapTable,
  precisionTable,
  volumeTable,
  type ChartName,
  type ChartTable,
} from '../history/chart-csv';
import { type CsvValue, localTime, streamCsv } from '../history/csv';
import {
  alertWithHistory,
  exportBatches,
  listPage,
  LISTS,
  type AlertRow,
  type EventRow,
} from '../history/history-lists';
import { applyHistoryPolicies } from '../history/rollups';
import { detaineeTimeline } from '../history/timeline';
import { authorize } from './authorize';
import type { ApiContext } from './context';

const query = (c: RequestContext) => Object.fromEntries(c.query);

/** A site's IANA time zone, for the exports' `*_local` columns (undefined for a site no longer configured). */
type ZoneOf = (siteId: string) => string | undefined;

const EVENT_HEADER = [
  'event_id',
  'observed_at',
  'site_id',
  'kind',
  'sensor_id',
  'wing_id',
  'zone_id',
  'exercise',
  'seq',
  'body',
  // Last, so the columns before keep their places: the time as the site's clock shows it (what the list shows).
  'observed_at_local',
];
const eventRecord = (r: EventRow, zoneOf: ZoneOf): CsvValue[] => [
  r.id,
  r.sort_time,
  r.site_id,
  r.kind,
  r.sensor_id,
  r.wing_id,
  r.zone_id,
  r.exercise,
  r.seq,
  JSON.stringify(r.body),
  localTime(r.sort_time, zoneOf(r.site_id)),
];

const SEARCH_HEADER = [
  'event_id',
  'observed_at',
  'site_id',
  'search_id',
  'type',
  'trigger',
  'cell_ids',
  'occupants',
  'started_at',
  'ended_at',
  'finding_count',
  'findings',
  'exercise',
  'observed_at_local',
];
const searchRecord = (r: EventRow, zoneOf: ZoneOf): CsvValue[] => {
  const b = r.body as Record<string, unknown> & {
    findings?: unknown[];
    cellIds?: string[];
    occupants?: string[];
  };
  return [
    r.id,
    r.sort_time,
    r.site_id,
    b.searchId as string,
    b.type as string,
    b.trigger as string,
    b.cellIds ?? [],
    b.occupants ?? [],
    b.startedAt as string,
    b.endedAt as string,
    b.findings?.length ?? 0,
    JSON.stringify(b.findings ?? []),
    r.exercise,
    localTime(r.sort_time, zoneOf(r.site_id)),
  ];
};

const ALERT_HEADER = [
  'alert_id',
  'opened_at',
  'updated_at',
  'rev',
  'rule',
  'severity',
  'status',
  'site_id',
  'wing_id',
  'cell_ids',
  'detainee_ids',
  'sensor_ids',
  'title',
  'first_event_at',
  'last_event_at',
  'count',
  'exercise',
  'opened_at_local',
];
const alertRecord = (r: AlertRow, zoneOf: ZoneOf): CsvValue[] => {
  const a = r.body as Record<string, CsvValue>;
  return [
    r.id,
    r.sort_time,
    a.updatedAt,
    a.rev,
    a.rule,
    a.severity,
    a.status,
    a.siteId,
    a.wingId,
    a.cellIds ?? [],
    a.detaineeIds ?? [],
    a.sensorIds ?? [],
    a.title,
    a.firstEventAt,
    a.lastEventAt,
    a.count,
    a.exercise,
    localTime(r.sort_time, typeof a.siteId === 'string' ? zoneOf(a.siteId) : undefined),
  ];
};

/** A whole answer as the one batch `streamCsv` reads. */
async function* once<R>(rows: R[]): AsyncIterable<R[]> {
  yield rows;
}

const stamp = () => new Date().toISOString().slice(0, 19).replaceAll(':', '').replace('T', '-');

/** The site a chart is for: `siteId`, or the only site when there is one. */
function siteOf(sites: ReadonlyMap<string, SiteIndex>, siteId: string | undefined): SiteIndex['site'] {
  if (siteId) {
    const site = sites.get(siteId)?.site;
    if (!site) throw new HttpError(400, 'invalid query', [{ path: 'siteId', message: `no site ${siteId}` }]);
    return site;
  }
  const [only, ...more] = [...sites.values()];
  if (!only || more.length > 0) {
    throw new HttpError(400, 'invalid query', [
      { path: 'siteId', message: 'is required (more than one site)' },
    ]);
  }
  return only.site;
}

/**
 * The analysts' history under /api/history (console/server README, "History"): archives of events, alerts and
 * searches with keyset pages and CSV exports, charts from the 15-minute rollups, detainee timelines.
 */
export function historyRoutes(router: Router, api: ApiContext): void {
  // Policies follow the configuration at every start; a failure leaves the previous ones and is only logged.
  const client = api.pool.connect();
  void client
    .then((db) => applyHistoryPolicies(db, api.config.history, api.log).finally(() => db.release()))
    .catch((err: unknown) => api.log.warn({ err }, 'history: could not apply the TimescaleDB policies'));

  const zoneOf: ZoneOf = (siteId) => api.sites.get(siteId)?.site.timezone;

  const listRoute = <F extends { exercise: string }, R extends EventRow | AlertRow>(
    name: 'events' | 'searches' | 'alerts',
    pageSchema: typeof EventPageQuery | typeof SearchPageQuery | typeof AlertPageQuery,
    filterSchema: typeof EventFilter | typeof SearchFilter | typeof AlertFilter,
    header: string[],
    record: (row: R, zoneOf: ZoneOf) => CsvValue[],
    toJson: (row: R) => unknown,
  ) => {
    const list = LISTS[name] as unknown as Parameters<typeof listPage<F, R>>[1];
    const exportCsv = async (c: RequestContext, filter: F, user: string) => {
      // Audited before the first byte: an export cut short was still a view of the data.
      await audit(api.pool, {
        actor: user,
        action: `export-${name}`,
        ip: c.ip,
        detail: { query: filter },
      });
      await streamCsv(
        c.res,
        `wachtpost-${name}-${stamp()}.csv`,
        header,
        exportBatches(api.pool, list, filter),
        (row) => record(row, zoneOf),
      );
    };
    router.on('GET', `/api/history/${name}`, async (c) => {
      const user = await authorize(api, c, 'history:read');
      const q = parseInput(pageSchema, query(c), 'query') as F & {
        limit: number;
        cursor?: string;
        format: string;
      };
      const { limit, cursor, format, ...filter } = q;
      if (format === 'csv') {
        if (cursor)
          throw new HttpError(400, 'invalid query', [
            { path: 'cursor', message: 'a CSV export has every row; leave out cursor' },
          ]);
        return exportCsv(c, filter as unknown as F, user.username);
      }
      const page = await listPage(api.pool, list, filter as unknown as F, limit, cursor);
      await audit(api.pool, {
        actor: user.username,
        action: `view-history-${name}`,
        ip: c.ip,
        detail: { query: filter, count: page.rows.length },
      });
      sendJson(c.res, 200, { [name]: page.rows.map(toJson), nextCursor: page.nextCursor });
    });
    router.on('GET', `/api/history/${name}.csv`, async (c) => {
      const user = await authorize(api, c, 'history:read');
      const filter = parseInput(filterSchema, query(c), 'query') as F;
      await exportCsv(c, filter, user.username);
    });
  };

  listRoute<EventFilter, EventRow>(
    'events',
    EventPageQuery,
    EventFilter,
    EVENT_HEADER,
    eventRecord,
    (r) => r.body,
  );
  listRoute<SearchFilter, EventRow>(
    'searches',
    SearchPageQuery,
    SearchFilter,
    SEARCH_HEADER,
    searchRecord,
    (r) => r.body,
  );
  listRoute<AlertFilter, AlertRow>(
    'alerts',
    AlertPageQuery,
    AlertFilter,
    ALERT_HEADER,
    alertRecord,
    (r) => r.body,
  );

  router.on('GET', '/api/history/alerts/:id', async (c) => {
    const user = await authorize(api, c, 'history:read');
    const found = await alertWithHistory(api.pool, c.params.id ?? '');
    if (!found) throw new HttpError(404, `no alert ${c.params.id}`);
    await audit(api.pool, { actor: user.username, action: 'view-alert', target: c.params.id, ip: c.ip });
    sendJson(c.res, 200, found);
  });

  /**
   * A chart as JSON, or as a CSV attachment with `format=csv` or at `<path>.csv` (the same parameters; an
   * export, so it is audited like the lists' exports).
   */
  const chartRoute = <Q extends { siteId?: string; format: string }, A>(
    name: ChartName,
    schema: z.ZodType<Q, Record<string, string>>,
    compute: (site: SiteIndex['site'], q: Q) => Promise<A>,
    table: (answer: A) => ChartTable,
  ) => {
    const answer = async (c: RequestContext, csv: boolean) => {
      const user = await authorize(api, c, 'history:read');
      if (csv && c.query.has('format')) {
        throw new HttpError(400, 'invalid query', [
          { path: 'format', message: 'the .csv route answers CSV; leave out format' },
        ]);
      }
      const q = parseInput(schema, query(c), 'query');
      const site = siteOf(api.sites, q.siteId);
      const chart = await compute(site, q);
      if (!csv && q.format !== 'csv') return sendJson(c.res, 200, chart);
      const { format: _format, ...filter } = q;
      await audit(api.pool, {
        actor: user.username,
        action: `export-chart-${name}`,
        target: site.id,
        ip: c.ip,
        detail: { query: filter },
      });
      const { header, records } = table(chart);
      await streamCsv(
        c.res,
        `wachtpost-chart-${name}-${site.id}-${stamp()}.csv`,
        header,
        once(records),
        (r) => r,
      );
    };
    router.on('GET', `/api/history/charts/${name}`, (c) => answer(c, false));
    router.on('GET', `/api/history/charts/${name}.csv`, (c) => answer(c, true));
  };

  chartRoute(
    'volume',
    VolumeQuery,
    async (site, q) => {
      const range = chartRange(q);
      const bucket = q.bucket ?? bucketFor(range);
      if ((range.to.getTime() - range.from.getTime()) / BUCKETS[bucket] > MAX_BUCKETS) {
        throw new HttpError(400, 'invalid query', [
          {
            path: 'bucket',
            message: `${bucket} over this range is more than ${MAX_BUCKETS} points; pick a larger bucket`,
          },
        ]);
      }
      return volumeChart(api.pool, site, { ...q, bucket }, range);
    },
    volumeTable,
  );
  chartRoute(
    'heatmap',
    HeatmapQuery,
    (site, q) => wingHourHeatmap(api.pool, site, q, chartRange(q)),
    heatmapTable,
  );
  chartRoute(
    'drones',
    ChartQuery,
    (site, q) => droneWeekdayHour(api.pool, site, q, chartRange(q)),
    dronesTable,
  );
  chartRoute(
    'precision',
    ChartQuery,
    (site, q) => precision(api.pool, site, q, chartRange(q)),
    precisionTable,
  );

  router.on('GET', '/api/history/detainees/:id/timeline', async (c) => {
    const user = await authorize(api, c, 'history:read');
    const detaineeId = parseInput(DetaineeId, c.params.id, 'detainee id');
    const q = parseInput(TimelineQuery, query(c), 'query');
    if (q.siteId && !api.sites.has(q.siteId)) {
      throw new HttpError(400, 'invalid query', [{ path: 'siteId', message: `no site ${q.siteId}` }]);
    }
    const timeline = await detaineeTimeline(api.pool, detaineeId, q);
    // A detainee's whole history is the most sensitive view there is: every page is audited, the later ones
    // with the instant they start after. Auditing only first pages would leave a hole: a cursor is easy to
    // forge, so "page two" can be anyone's first look.
    const { cursor, ...asked } = q;
    await audit(api.pool, {
      actor: user.username,
      action: 'view-detainee-timeline',
      target: detaineeId,
      ip: c.ip,
      detail: {
        query: asked,
        items: timeline.items.length,
        ...(cursor !== undefined && { after: decodeCursor(cursor).time }),
      },
    });
    sendJson(c.res, 200, timeline);
  });
}
