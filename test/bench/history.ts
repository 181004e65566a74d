import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { history } from '@wachtpost/console';
import { SENSOR_EVENT_COLUMNS } from '@wachtpost/ingest';
import { createPool, migrate } from '@wachtpost/platform';
import copyStreams from 'pg-copy-streams';
import { createTestDatabase } from '../support/database';
import { demoSite } from '../support/events';
import { quietLog } from '../support/harness';
import type { Benchmark } from './registry';
import { percentile, round } from './stats';

const DAY = 86_400_000;
const DAYS = 90;
const DETAINEES = 300;
const ROUNDS = 40;

/** A seeded xorshift, so every run stores the same history. */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4_294_967_296;
  };
}

const site = demoSite.site;
const cells = [...demoSite.wingOfCell.keys()];
const gsmSensors = site.sensors.filter((s) => s.kind === 'gsm');
const droneSensors = site.sensors.filter((s) => s.kind === 'drone');
const wings = site.wings.map((w) => w.id);
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const esc = (json: string) => json.replaceAll('\\', '\\\\');

/**
 * COPY text for `total` events over `DAYS` days ending now, in a realistic mix: mostly heartbeats and drone
 * track updates, GSM bursts (more at night, a third in cells), rare searches and roster moves.
 */
function* copyChunks(total: number, end: number, chunk = 20_000): Generator<string> {
  const r = random(42);
  const start = end - DAYS * DAY;
  const step = (DAYS * DAY) / total;
  const placed = new Map<string, string>();
  let text = '';
  for (let i = 0; i < total; i++) {
    const t = Math.floor(start + i * step);
    const at = new Date(t).toISOString();
    const id = `hb${i.toString(36)}`;
    const p = r();
    const hour = new Date(t).getUTCHours();
    const night = hour >= 20 || hour < 5;
    let kind: string;
    let sensor: string;
    let wing: string | null = null;
    let zone: string | null = null;
    let body: Record<string, unknown>;
    if (p < 0.0003) {
      kind = 'roster';
      sensor = 'roster-gw';
      const detaineeId = `d-${String(Math.floor(r() * DETAINEES)).padStart(4, '0')}`;
      const action = placed.has(detaineeId) ? (r() < 0.05 ? 'release' : 'move') : 'admit';
      const cellId = pick(r, cells);
      if (action === 'release') placed.delete(detaineeId);
      else placed.set(detaineeId, cellId);
      if (action !== 'release') {
        zone = cellId;
        wing = demoSite.wingOfCell.get(cellId) ?? null;
      }
      body = { detaineeId, action, ...(action !== 'release' && { cellId }), effectiveAt: at };
    } else if (p < 0.0005) {
      kind = 'search';
      sensor = 'search-gw';
      const first = pick(r, cells);
      const cellIds = r() < 0.5 ? [first] : [first, cells[(cells.indexOf(first) + 1) % cells.length]!];
      wing = demoSite.wingOfCell.get(first) ?? null;
      zone = cellIds.length === 1 ? first : null;
      const findings =
        r() < 0.2 ? [{ category: pick(r, ['phone', 'sim', 'drugs']), qty: 1, cellId: first }] : [];
      body = {
        searchId: `s${id}`,
        type: 'cell-inspection',
        trigger: 'routine',
        cellIds,
        startedAt: new Date(t - 1_800_000).toISOString(),
        endedAt: at,
        occupants: [],
        findings,
      };
    } else if (p < (night ? 0.3 : 0.15)) {
      kind = 'gsm';
      const s = pick(r, gsmSensors);
      sensor = s.id;
      zone = pick(r, s.zoneIds);
      const zoneWings = demoSite.zones.get(zone)?.wingIds ?? [];
      wing = zoneWings.length === 1 ? zoneWings[0]! : null;
      body = {
        zoneId: zone,
        tech: '4g',
        rssiDbm: -60 - Math.floor(r() * 40),
        durationS: Math.floor(r() * 90),
        activity: 'data',
      };
    } else if (p < 0.4) {
      kind = 'drone';
      sensor = pick(r, droneSensors).id;
      if (r() < 0.4) wing = pick(r, wings);
      body = {
        trackId: `trk-${Math.floor(i / 40)}`,
        phase: i % 40 === 0 ? 'start' : 'update',
        detection: 'rf',
        category: 'drone',
      };
    } else {
      kind = 'heartbeat';
      sensor = pick(r, site.sensors).id;
      body = { status: 'ok', intervalS: 10 };
    }
    const event = {
      v: 1,
      eventId: id,
      kind,
      siteId: 'demo',
      sensorId: sensor,
      observedAt: at,
      exercise: false,
      ...body,
    };
    text += `${id}\tdemo\t${kind}\t${sensor}\t${at}\t\\N\tfalse\t${wing ?? '\\N'}\t${zone ?? '\\N'}\t${i + 1}\t${esc(JSON.stringify(event))}\n`;
    if ((i + 1) % chunk === 0) {
      yield text;
      text = '';
    }
  }
  if (text) yield text;
}

const ALERTS = `
WITH a AS (
  SELECT 'bench:' || g AS id, to_timestamp($1::float8 / 1000 + g * ($2::float8 / $3)) AS t,
         (ARRAY['drone-incursion','gsm-burst','persistent-phone','contraband-delivery','sensor-offline'])[1 + g % 5] AS rule,
         (ARRAY['a','b','c','d','e'])[1 + (g / 5) % 5] AS wing,
         'd-' || lpad(((g * 7) % ${DETAINEES})::text, 4, '0') AS detainee
  FROM generate_series(1, $3) AS g
), bodies AS (
  SELECT id, t, rule, wing, jsonb_build_object('v', 1, 'alertId', id, 'rev', 1, 'rule', rule, 'severity', 'high',
    'status', 'resolved', 'siteId', 'demo', 'wingId', wing, 'cellIds', jsonb_build_array(wing || '-01'),
    'detaineeIds', jsonb_build_array(detainee), 'sensorIds', '[]'::jsonb, 'title', rule, 'summary', rule,
    'firstEventAt', t, 'lastEventAt', t, 'count', 1, 'evidence', '[]'::jsonb, 'openedAt', t, 'updatedAt', t,
    'exercise', false) AS body
  FROM a
), ins AS (
  INSERT INTO alerts (alert_id, rev, rule, severity, status, site_id, wing_id, exercise, first_event_at, last_event_at,
                      opened_at, updated_at, body)
  SELECT id, 1, rule, 'high', 'resolved', 'demo', wing, false, t, t, t, t, body FROM bodies
)
INSERT INTO alert_history (alert_id, rev, change, rule, severity, status, site_id, exercise, updated_at, body)
SELECT id, 1, 'opened', rule, 'high', 'resolved', 'demo', false, t, body FROM bodies`;

async function measure(run: (i: number) => Promise<unknown>): Promise<{ p50Ms: number; p95Ms: number }> {
  for (let i = 0; i < 3; i++) await run(i);
  const sample: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await run(i);
    sample.push(performance.now() - started);
  }
  return { p50Ms: round(percentile(sample, 50)), p95Ms: round(percentile(sample, 95)) };
}

/**
 * `pnpm bench history [--events N]`: N events (10,000,000 by default) over 90 days for the demo site, stored
 * with COPY through the rollup trigger, then p50/p95 of the analysts' heaviest questions.
 */
export const historyBench: Benchmark = {
  name: 'history',
  async run({ events = 10_000_000 }) {
    const db = await createTestDatabase('wp_bench_history');
    const pool = createPool({ pgPoolSize: 4 }, db.url, quietLog);
    try {
      await migrate(db.url, quietLog);
      const end = Date.now();
      const seedStarted = performance.now();
      // Several COPY statements, so each statement's rollup upsert (one per statement) stays moderate.
      const perCopy = 500_000;
      const chunks = copyChunks(events, end);
      for (let done = 0; done < events; done += perCopy) {
        const client = await pool.connect();
        try {
          const part = (function* () {
            for (let rows = 0; rows < Math.min(perCopy, events - done); rows += 20_000) {
              const next = chunks.next();
              if (next.done) return;
              yield next.value;
            }
          })();
          await pipeline(
            Readable.from(part),
            client.query(copyStreams.from(`COPY sensor_events (${SENSOR_EVENT_COLUMNS}) FROM STDIN`)),
          );
        } finally {
          client.release();
        }
      }
      const alerts = Math.max(100, Math.round(events / 500));
      await pool.query(ALERTS, [end - DAYS * DAY, DAYS * DAY, alerts]);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      await pool.query('VACUUM ANALYZE');
      const { rows: counted } = await pool.query<{ n: string; rolled: string }>(
        'SELECT (SELECT count(*) FROM sensor_events) AS n, (SELECT sum(events) FROM sensor_events_15m) AS rolled',
      );
      if (Number(counted[0]?.n) !== events || Number(counted[0]?.rolled) !== events) {
        throw new Error(
          `seeded ${counted[0]?.n} events, rolled up ${counted[0]?.rolled}; expected ${events}`,
        );
      }
      const r = random(7);
      const isoDay = (daysBack: number) => new Date(end - daysBack * DAY).toISOString();
      const thirty = history.chartRange({ from: isoDay(30), to: isoDay(0) }, end);
      const chart = await measure(() =>
        history.volumeChart(pool, site, history.VolumeQuery.parse({ wingId: 'a', bucket: '1h' }), thirty),
      );
      const heatmap = await measure(() =>
        history.wingHourHeatmap(pool, site, history.HeatmapQuery.parse({}), thirty),
      );
      const timeline = await measure(() =>
        history.detaineeTimeline(
          pool,
          `d-${String(Math.floor(r() * DETAINEES)).padStart(4, '0')}`,
          history.TimelineQuery.parse({ from: isoDay(30), to: isoDay(0) }),
          end,
        ),
      );
      const page = await measure(() => {
        const back = 1 + Math.floor(r() * 80);
        return history.listPage(
          pool,
          history.LISTS.events,
          history.EventFilter.parse({
            siteId: 'demo',
            wingId: pick(r, wings),
            kind: 'gsm',
            from: isoDay(back + 7),
            to: isoDay(back),
          }),
          100,
          undefined,
        );
      });
      const base = { bench: 'history', events };
      return [
        {
          ...base,
          query: 'seed',
          seedSeconds: round(seedSeconds),
          rowsPerSec: Math.round(events / seedSeconds),
        },
        { ...base, query: 'chart', ...chart },
        { ...base, query: 'heatmap', ...heatmap },
        { ...base, query: 'timeline', ...timeline },
        { ...base, query: 'page', ...page },
      ];
    } finally {
      await pool.end();
      await db.drop();
    }
  },
};
