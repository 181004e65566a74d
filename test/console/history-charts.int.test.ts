import type { SensorEventInput } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAlert, storeEvents } from '../bench/history-seed';
import { makeAlert, startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';

let h: ConsoleHarness;
let server: RunningConsole;
let cookie: string;

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);
const MIN = 60_000;
const HOUR = 3_600_000;
let n = 0;

const gsm = (t: number, zoneId: string, exercise = false): SensorEventInput =>
  ({
    v: 1,
    eventId: `g-${++n}`,
    kind: 'gsm',
    siteId: 'demo',
    sensorId: zoneId.startsWith('b') ? 'gsm-b-1' : 'gsm-a-1',
    observedAt: iso(t),
    exercise,
    zoneId,
    tech: '4g',
    rssiDbm: -70,
    durationS: 12,
    activity: 'call',
  }) as SensorEventInput;

const get = async <T>(path: string) => {
  const res = await h.api<T>(server.base, cookie, 'GET', path);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole();
  await h.addUser('ana', 'analyst');
  cookie = await h.login(server.base, 'ana');
});
afterAll(() => h?.close());

describe('history charts', () => {
  it('counts events and alerts per bucket from the rollups, zero-filled, with the bucket picked from the range', async () => {
    const day = at('2026-03-10T00:00:00Z');
    await storeEvents(h.pool, [
      gsm(day + 5 * MIN, 'a-01'),
      gsm(day + 50 * MIN, 'a-02'),
      gsm(day + 3 * HOUR + 1, 'a-corridor'),
      gsm(day + 3 * HOUR + 2, 'b-01'),
      gsm(day + 4 * HOUR, 'a-01', true),
    ]);
    await storeAlert(
      h.pool,
      makeAlert({
        alertId: 'c-al-1',
        wingId: 'a',
        openedAt: iso(day + 3 * HOUR + 10 * MIN),
        updatedAt: iso(day),
      }),
    );
    type Chart = { bucket: string; points: { t: string; events: number; alerts: number }[] };
    const chart = await get<Chart>(
      `/api/history/charts/volume?wingId=a&from=${iso(day)}&to=${iso(day + 24 * HOUR)}`,
    );
    expect(chart.bucket).toBe('15m');
    expect(chart.points).toHaveLength(96);
    const hourly = await get<Chart>(
      `/api/history/charts/volume?wingId=a&bucket=1h&from=${iso(day)}&to=${iso(day + 24 * HOUR)}`,
    );
    expect(hourly.points).toHaveLength(24);
    expect(hourly.points[0]).toEqual({ t: iso(day), events: 2, alerts: 0 });
    expect(hourly.points[3]).toEqual({ t: iso(day + 3 * HOUR), events: 1, alerts: 1 });
    expect(hourly.points[4]).toMatchObject({ events: 0 });
    const withExercise = await get<Chart>(
      `/api/history/charts/volume?wingId=a&bucket=1h&exercise=include&from=${iso(day)}&to=${iso(day + 24 * HOUR)}`,
    );
    expect(withExercise.points[4]).toMatchObject({ events: 1 });
    const site = await get<Chart>(
      `/api/history/charts/volume?kind=gsm&bucket=1h&from=${iso(day)}&to=${iso(day + 24 * HOUR)}`,
    );
    expect(site.points[3]).toMatchObject({ events: 2 });
    // Thirty days: hourly; ninety days: six-hourly; a year: local days.
    expect(
      (await get<Chart>(`/api/history/charts/volume?from=${iso(day - 29 * 24 * HOUR)}&to=${iso(day)}`))
        .bucket,
    ).toBe('1h');
    expect(
      (await get<Chart>(`/api/history/charts/volume?from=${iso(day - 90 * 24 * HOUR)}&to=${iso(day)}`))
        .bucket,
    ).toBe('6h');
    const daily = await get<Chart>(
      `/api/history/charts/volume?wingId=a&from=${iso(day - 300 * 24 * HOUR)}&to=${iso(day + 24 * HOUR)}`,
    );
    expect(daily.bucket).toBe('1d');
    // The site's local day (Europe/Amsterdam, CET): 2026-03-10 starts at 23:00 UTC the day before.
    const local = daily.points.find((p) => p.t === '2026-03-09T23:00:00.000Z');
    expect(local).toEqual({ t: '2026-03-09T23:00:00.000Z', events: 3, alerts: 1 });
  });

  it('keeps the rollup exact under concurrent writers and repeated events', async () => {
    const base = at('2026-04-01T10:00:00Z');
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 1500 }, (_, i) =>
        gsm(base + ((i * 7 + b) % 3600) * 1000, i % 2 ? 'a-05' : 'b-05'),
      ),
    );
    await Promise.all(batches.map((events) => storeEvents(h.pool, events)));
    // A repeat stored with ON CONFLICT DO NOTHING (ingest's fallback) adds nothing.
    await h.pool.query(
      `INSERT INTO sensor_events SELECT * FROM sensor_events WHERE observed_at >= $1 AND observed_at < $2 ON CONFLICT DO NOTHING`,
      [iso(base), iso(base + HOUR)],
    );
    const { rows } = await h.pool.query<{ raw: string; rolled: string }>(
      `SELECT (SELECT count(*) FROM sensor_events WHERE observed_at >= $1 AND observed_at < $2) AS raw,
              (SELECT sum(events) FROM sensor_events_15m WHERE bucket >= $1 AND bucket < $2) AS rolled`,
      [iso(base), iso(base + HOUR)],
    );
    expect(rows[0]).toEqual({ raw: '9000', rolled: '9000' });
    const perWing = await h.pool.query(
      `SELECT wing_id, date_bin('15 minutes', observed_at, '2000-01-01') AS b, count(*)::bigint AS n FROM sensor_events
       WHERE observed_at >= $1 AND observed_at < $2 GROUP BY 1, 2
       EXCEPT SELECT wing_id, bucket, events FROM sensor_events_15m`,
      [iso(base), iso(base + HOUR)],
    );
    expect(perWing.rows).toEqual([]);
  });

  it('maps wings to local hours of day across the DST change', async () => {
    // Europe/Amsterdam goes from UTC+1 to UTC+2 at 2026-03-29 01:00 UTC.
    await storeEvents(h.pool, [
      gsm(at('2026-03-28T13:30:00Z'), 'a-10'), // 14:30 CET
      gsm(at('2026-03-29T13:30:00Z'), 'a-10'), // 15:30 CEST
      gsm(at('2026-03-29T00:30:00Z'), 'a-10'), // 01:30 CET
      gsm(at('2026-03-29T01:30:00Z'), 'a-10'), // 03:30 CEST (02:xx does not exist that night)
      gsm(at('2026-03-29T01:45:00Z'), 'b-10'),
    ]);
    const map = await get<{ timezone: string; wings: { wingId: string; hours: number[] }[] }>(
      '/api/history/charts/heatmap?from=2026-03-28T00:00:00Z&to=2026-03-30T00:00:00Z',
    );
    expect(map.timezone).toBe('Europe/Amsterdam');
    expect(map.wings.map((w) => w.wingId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const a = map.wings[0]!.hours;
    expect(a.length).toBe(24);
    expect([a[1], a[2], a[3], a[14], a[15]]).toEqual([1, 0, 1, 1, 1]);
    expect(a.reduce((x, y) => x + y)).toBe(4);
    expect(map.wings[1]!.hours[3]).toBe(1);
  });

  it('counts drone incursions per local weekday and hour', async () => {
    const drone = (alertId: string, t: string, exercise = false) =>
      storeAlert(
        h.pool,
        makeAlert({
          alertId,
          rule: 'drone-incursion',
          wingId: undefined,
          openedAt: t,
          updatedAt: t,
          exercise,
        }),
      );
    await drone('dr-1', '2026-03-02T08:10:00.000Z'); // Monday 09:10 CET
    await drone('dr-2', '2026-03-08T22:30:00.000Z'); // Sunday 23:30 CET
    await drone('dr-3', '2026-03-29T22:30:00.000Z'); // Monday 00:30 CEST
    await drone('dr-4', '2026-03-02T08:20:00.000Z', true);
    const chart = await get<{ weekdays: string[]; counts: number[][] }>(
      '/api/history/charts/drones?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z',
    );
    expect(chart.weekdays[0]).toBe('mon');
    expect(chart.counts[0]![9]).toBe(1);
    expect(chart.counts[6]![23]).toBe(1);
    expect(chart.counts[0]![0]).toBe(1);
    expect(chart.counts.flat().reduce((x, y) => x + y)).toBe(3);
  });

  it('computes precision per rule and per sensor from the alerts’ last outcomes', async () => {
    const t = '2026-05-01T10:00:00Z';
    const outcome = (alertId: string, rev: number, rule: string, result: string, sensors: string[]) =>
      h.pool.query(
        `INSERT INTO alert_outcomes (alert_id, rev, rule, result, site_id, wing_id, exercise, cell_ids, sensor_ids, resolved_at)
         VALUES ($1, $2, $3, $4, 'demo', 'a', false, '{a-01}', $5, $6)`,
        [alertId, rev, rule, result, sensors, t],
      );
    const verdict = (alertId: string, rev: number, value: string) =>
      h.pool.query(
        `INSERT INTO alert_actions (alert_id, rev, action, actor, detail, at) VALUES ($1, $2, 'resolve', 'olga', $3, $4)`,
        [alertId, rev, JSON.stringify({ outcome: value }), t],
      );
    await outcome('p-1', 2, 'persistent-phone', 'confirmed', ['gsm-a-1']);
    await outcome('p-2', 2, 'persistent-phone', 'operator', ['gsm-a-1', 'gsm-a-2']);
    await verdict('p-2', 2, 'confirmed');
    await outcome('p-3', 2, 'persistent-phone', 'operator', ['gsm-a-2']);
    await verdict('p-3', 2, 'false-positive');
    await outcome('p-4', 2, 'persistent-phone', 'operator', ['gsm-a-2']);
    await verdict('p-4', 2, 'duplicate');
    // Search ordered first, then confirmed by the search: the last outcome counts.
    await outcome('p-5', 2, 'persistent-phone', 'operator', ['gsm-a-3']);
    await verdict('p-5', 2, 'search-ordered');
    await outcome('p-5', 3, 'persistent-phone', 'confirmed', ['gsm-a-3']);
    await outcome('o-1', 2, 'sensor-offline', 'auto', ['rf-1']);
    type Row = {
      rule?: string;
      sensorId?: string;
      resolved: number;
      confirmed: number;
      falsePositive: number;
      precision: number | null;
    };
    const p = await get<{ byRule: Row[]; bySensor: Row[] }>(
      '/api/history/charts/precision?from=2026-04-30T00:00:00Z&to=2026-05-02T00:00:00Z',
    );
    expect(p.byRule).toEqual([
      {
        rule: 'persistent-phone',
        resolved: 5,
        confirmed: 3,
        falsePositive: 1,
        duplicate: 1,
        searchOrdered: 0,
        auto: 0,
        precision: 0.75,
      },
      {
        rule: 'sensor-offline',
        resolved: 1,
        confirmed: 0,
        falsePositive: 0,
        duplicate: 0,
        searchOrdered: 0,
        auto: 1,
        precision: null,
      },
    ]);
    const sensor = (id: string) => p.bySensor.find((s) => s.sensorId === id);
    expect(sensor('gsm-a-1')).toMatchObject({ confirmed: 2, falsePositive: 0, precision: 1 });
    expect(sensor('gsm-a-2')).toMatchObject({ resolved: 3, confirmed: 1, falsePositive: 1, precision: 0.5 });
    expect(sensor('gsm-a-3')).toMatchObject({ confirmed: 1, precision: 1 });
  });
});

describe('detainee timeline', () => {
  it('puts placements, GSM in their cells while there, alerts and searches in one time-ordered answer, audited', async () => {
    const t1 = at('2026-06-01T08:00:00Z');
    const t2 = t1 + 24 * HOUR;
    const t3 = t2 + 24 * HOUR;
    const ev = (kind: string, t: number, extra: object) =>
      ({
        v: 1,
        eventId: `tl-${++n}`,
        kind,
        siteId: 'demo',
        observedAt: iso(t),
        exercise: false,
        ...extra,
      }) as SensorEventInput;
    const roster = (t: number, action: string, cellId?: string) =>
      ev('roster', t, {
        sensorId: 'roster-gw',
        detaineeId: 'd-500',
        action,
        ...(cellId && { cellId }),
        effectiveAt: iso(t),
      });
    const search = (t: number, cellIds: string[], findings: object[], occupants: string[] = []) =>
      ev('search', t, {
        sensorId: 'search-gw',
        searchId: `srch-${n}`,
        type: 'cell-inspection',
        trigger: 'routine',
        cellIds,
        startedAt: iso(t - HOUR),
        endedAt: iso(t),
        occupants,
        findings,
      });
    const inA = gsm(t1 + HOUR, 'a-03');
    const inB = gsm(t2 + 2 * HOUR, 'b-03');
    const found = search(t1 + 5 * HOUR, ['a-03', 'a-04'], [{ category: 'phone', qty: 1, cellId: 'a-03' }]);
    const named = search(t2 + 6 * HOUR, ['c-01'], [], ['d-500']);
    await storeEvents(h.pool, [
      roster(t1, 'admit', 'a-03'),
      roster(t2, 'move', 'b-03'),
      roster(t3, 'release'),
      inA,
      gsm(t2 + HOUR, 'a-03'), // after the move: someone else's
      gsm(t1 + 2 * HOUR, 'a-03', true), // an exercise
      inB,
      gsm(t3 + HOUR, 'b-03'), // after the release
      found,
      search(t3 + 2 * HOUR, ['b-03'], [{ category: 'sim', qty: 1, cellId: 'b-03' }]), // after the release
      named,
    ]);
    await storeAlert(
      h.pool,
      makeAlert({
        alertId: 'tl-al-1',
        detaineeIds: ['d-500'],
        openedAt: iso(t2 + 3 * HOUR),
        updatedAt: iso(t2 + 3 * HOUR),
        firstEventAt: iso(t2 + 2 * HOUR),
        lastEventAt: iso(t2 + 3 * HOUR),
      }),
    );
    type Timeline = {
      stays: { cellId: string; from: string; to: string | null }[];
      items: {
        type: string;
        at: string;
        eventId?: string;
        alertId?: string;
        action?: string;
        reason?: string;
      }[];
      truncated: boolean;
    };
    const tl = await get<Timeline>(
      `/api/history/detainees/d-500/timeline?from=${iso(t1 - HOUR)}&to=${iso(t3 + 10 * HOUR)}`,
    );
    expect(tl.stays.map((s) => s.cellId)).toEqual(['a-03', 'b-03']);
    expect(tl.items.map((i) => [i.type, i.eventId ?? i.alertId ?? ''])).toEqual([
      ['roster', expect.any(String)],
      ['gsm', ''],
      ['search', found.eventId],
      ['roster', expect.any(String)],
      ['gsm', ''],
      ['alert', 'tl-al-1'],
      ['search', named.eventId],
      ['roster', expect.any(String)],
    ]);
    expect(tl.items.map((i) => i.action).filter(Boolean)).toEqual(['admit', 'move', 'release']);
    // GSM per hour of the stay: the a-03 event an hour after admission, the b-03 one two hours after the move.
    expect(tl.items.filter((i) => i.type === 'gsm')).toEqual([
      { type: 'gsm', at: iso(t1 + HOUR).replace('.000Z', '+00:00'), cellId: 'a-03', events: 1 },
      { type: 'gsm', at: iso(t2 + 2 * HOUR).replace('.000Z', '+00:00'), cellId: 'b-03', events: 1 },
    ]);
    expect([inA.observedAt, inB.observedAt]).toEqual([iso(t1 + HOUR), iso(t2 + 2 * HOUR)]);
    expect(tl.items.find((i) => i.eventId === named.eventId)?.reason).toBe('named');
    expect(tl.truncated).toBe(false);
    const times = tl.items.map((i) => Date.parse(i.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    const limited = await get<Timeline>(
      `/api/history/detainees/d-500/timeline?limit=3&from=${iso(t1 - HOUR)}`,
    );
    expect(limited.items).toHaveLength(3);
    expect(limited.truncated).toBe(true);
    const audits = await h.pool.query(
      `SELECT target FROM audit_log WHERE actor = 'ana' AND action = 'view-detainee-timeline'`,
    );
    expect(audits.rows).toEqual([{ target: 'd-500' }, { target: 'd-500' }]);
  });
});

describe('detainee timeline pages', () => {
  type Item = { type: string; at: string; eventId?: string; alertId?: string; cellId?: string };
  type Page = { stays: { cellId: string }[]; items: Item[]; nextCursor: string | null; truncated: boolean };
  const idOf = (i: Item) => `${i.type}:${i.eventId ?? i.alertId ?? i.cellId}@${i.at}`;

  it('pages a long timeline by a keyset cursor without gaps or repeats while rows arrive, each page audited', async () => {
    await h.addUser('pia', 'analyst');
    const pia = await h.login(server.base, 'pia');
    const t0 = at('2026-07-01T00:00:00Z');
    const iso6 = (ms: number, micros = '000') => iso(ms).replace('Z', `${micros}Z`);
    const tlGsm = (t: number): SensorEventInput => gsm(t, 'a-05');
    const search = (t: number, id: string): SensorEventInput =>
      ({
        v: 1,
        eventId: id,
        kind: 'search',
        siteId: 'demo',
        sensorId: 'search-gw',
        observedAt: iso(t),
        exercise: false,
        searchId: id,
        type: 'cell-inspection',
        trigger: 'routine',
        cellIds: ['a-05'],
        startedAt: iso(t - HOUR),
        endedAt: iso(t),
        occupants: [],
        findings: [],
      }) as SensorEventInput;
    const alertAt = (id: string, openedAt: string) =>
      storeAlert(
        h.pool,
        makeAlert({
          alertId: id,
          detaineeIds: ['d-600'],
          cellIds: ['a-05'],
          openedAt,
          updatedAt: openedAt,
          firstEventAt: openedAt,
          lastEventAt: openedAt,
        }),
      );
    await storeEvents(h.pool, [
      {
        v: 1,
        eventId: 'pg-admit',
        kind: 'roster',
        siteId: 'demo',
        sensorId: 'roster-gw',
        observedAt: iso(t0),
        exercise: false,
        detaineeId: 'd-600',
        action: 'admit',
        cellId: 'a-05',
        effectiveAt: iso(t0),
      } as SensorEventInput,
      // A GSM hour for each of 30 hours, and a search every 5 hours.
      ...Array.from({ length: 30 }, (_, k) => tlGsm(t0 + k * HOUR + 10 * MIN)),
      ...Array.from({ length: 6 }, (_, k) => search(t0 + k * 5 * HOUR + 30 * MIN, `pg-srch-${k}`)),
    ]);
    // Ties: three alerts and a search at one millisecond, two of the alerts a microsecond apart within it.
    const tie = t0 + 10 * HOUR + 30 * MIN;
    await alertAt('pg-al-tie-b', iso6(tie));
    await alertAt('pg-al-tie-a', iso6(tie));
    await alertAt('pg-al-tie-c', iso6(tie, '500'));
    await storeEvents(h.pool, [search(tie, 'pg-srch-tie')]);

    const path = (cursor?: string) =>
      `/api/history/detainees/d-600/timeline?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const pageOf = async (cursor?: string) => {
      const res = await h.api<Page>(server.base, pia, 'GET', path(cursor));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const paged: Item[] = [];
    const behind: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await pageOf(cursor);
      pages++;
      expect(page.stays.map((s) => s.cellId)).toEqual(['a-05']);
      paged.push(...page.items);
      expect(page.truncated).toBe(page.nextCursor !== null);
      if (!page.nextCursor) break;
      expect(page.items).toHaveLength(7);
      cursor = page.nextCursor;
      if (pages <= 6) {
        // Between pages: an alert behind the pages already read (it is not on a later page), and an alert,
        // a search and a new GSM hour ahead of them (they are).
        const i = pages;
        await alertAt(`pg-al-behind-${i}`, iso6(t0 + i * 1000));
        behind.push(`pg-al-behind-${i}`);
        await alertAt(`pg-al-ahead-${i}`, iso6(t0 + (50 + i) * HOUR + 20 * MIN));
        await storeEvents(h.pool, [
          search(t0 + (50 + i) * HOUR + 20 * MIN, `pg-srch-ahead-${i}`),
          tlGsm(t0 + (50 + i) * HOUR + 5 * MIN),
        ]);
      }
    }
    // 41 items at the start and 6 x 3 ahead: 9 pages of 7 (the inserts change none of the pages read).
    expect(pages).toBe(9);

    // Everything now on record, in one answer: the pages are exactly it, in its order, less what arrived
    // behind them.
    const all = await h.api<Page>(
      server.base,
      pia,
      'GET',
      '/api/history/detainees/d-600/timeline?limit=2000',
    );
    expect(all.body.nextCursor).toBeNull();
    const ids = paged.map(idOf);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.body.items.filter((i) => !behind.includes(i.alertId ?? ''))).toEqual(paged);
    expect(all.body.items.filter((i) => behind.includes(i.alertId ?? ''))).toHaveLength(behind.length);
    expect(paged.filter((i) => i.alertId?.startsWith('pg-al-ahead-'))).toHaveLength(6);
    expect(paged.filter((i) => i.eventId?.startsWith('pg-srch-ahead-'))).toHaveLength(6);
    expect(paged.filter((i) => i.type === 'gsm')).toHaveLength(36);
    expect(behind).toHaveLength(6);
    // The tie (with the routine search pg-srch-2 too): by time to the microsecond, then type and id.
    const tied = paged.filter((i) => Date.parse(i.at) === tie).map((i) => i.alertId ?? i.eventId);
    expect(tied).toEqual(['pg-al-tie-a', 'pg-al-tie-b', 'pg-srch-2', 'pg-srch-tie', 'pg-al-tie-c']);

    // Every page is a view of the detainee's data: one audit entry each, the later ones saying where they start.
    const audits = await h.pool.query<{ detail: { after?: string; items: number } }>(
      `SELECT detail FROM audit_log WHERE actor = 'pia' AND action = 'view-detainee-timeline' ORDER BY id`,
    );
    expect(audits.rows).toHaveLength(pages + 1);
    expect(audits.rows[0]!.detail.after).toBeUndefined();
    for (const row of audits.rows.slice(1, pages)) expect(row.detail.after).toMatch(/^2026-07-0\dT.*Z$/);

    // Bounded pages, and cursors only this server issued.
    for (const bad of ['limit=2001', 'limit=0', 'cursor=bm90LWEtY3Vyc29y']) {
      const res = await h.api<{ issues: { path: string }[] }>(
        server.base,
        pia,
        'GET',
        `/api/history/detainees/d-600/timeline?${bad}`,
      );
      expect(res.status, bad).toBe(400);
    }
  });
});

describe('charts as CSV', () => {
  const fetchCsv = async (path: string) => {
    const res = await fetch(server.base + path, { headers: { cookie } });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const day = at('2026-03-10T00:00:00Z');
  const range = `from=${iso(day)}&to=${iso(day + 24 * HOUR)}`;

  it('answers each chart as a CSV attachment at <chart>.csv and with format=csv, the same figures as the JSON, audited', async () => {
    const volume = await fetchCsv(`/api/history/charts/volume.csv?wingId=a&bucket=1h&${range}`);
    expect(volume.status, volume.text).toBe(200);
    expect(volume.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(volume.headers.get('content-disposition')).toMatch(
      /^attachment; filename="wachtpost-chart-volume-demo-[0-9-]+\.csv"$/,
    );
    const json = await get<{ points: { t: string; events: number; alerts: number }[] }>(
      `/api/history/charts/volume?wingId=a&bucket=1h&${range}`,
    );
    const lines = volume.text.split('\r\n');
    expect(lines[0]).toBe('bucket_start,bucket,events,alerts,bucket_start_local');
    // 10 March is winter time in Amsterdam: the site's clock is UTC + 1 h.
    const local = (t: string) => new Date(Date.parse(t) + HOUR).toISOString().slice(0, 19).replace('T', ' ');
    expect(lines.slice(1, -1)).toEqual(
      json.points.map((p) => `${p.t},1h,${p.events},${p.alerts},${local(p.t)}`),
    );
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toBe(`${iso(day)},1h,2,0,2026-03-10 01:00:00`);

    // format=csv on the chart route is the same file.
    for (const chart of ['volume', 'heatmap', 'drones', 'precision']) {
      const q = chart === 'volume' ? `wingId=a&bucket=1h&${range}` : range;
      const dotCsv = await fetchCsv(`/api/history/charts/${chart}.csv?${q}`);
      const formatCsv = await fetchCsv(`/api/history/charts/${chart}?${q}&format=csv`);
      expect(dotCsv.status, `${chart}: ${dotCsv.text}`).toBe(200);
      expect(formatCsv.status).toBe(200);
      expect(formatCsv.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(formatCsv.text).toBe(dotCsv.text);
    }

    const heatmap = (await fetchCsv(`/api/history/charts/heatmap.csv?${range}`)).text.split('\r\n');
    expect(heatmap[0]).toMatch(/^wing_id,wing_name,hour_00,.*,hour_23$/);
    const heatJson = await get<{ wings: { wingId: string; hours: number[] }[] }>(
      `/api/history/charts/heatmap?${range}`,
    );
    expect(heatmap.slice(1, -1).map((l) => l.split(',')[0])).toEqual(heatJson.wings.map((w) => w.wingId));
    expect(heatmap[1]!.split(',').slice(2).map(Number)).toEqual(heatJson.wings[0]!.hours);
    const drones = (await fetchCsv(`/api/history/charts/drones.csv?${range}`)).text.split('\r\n');
    expect(drones.slice(1, -1).map((l) => l.split(',')[0])).toEqual([
      'mon',
      'tue',
      'wed',
      'thu',
      'fri',
      'sat',
      'sun',
    ]);
    const precision = await fetchCsv(`/api/history/charts/precision.csv?${range}`);
    expect(precision.text.split('\r\n')[0]).toBe(
      'by,key,resolved,confirmed,false_positive,duplicate,search_ordered,auto,precision',
    );

    // The .csv route takes the chart's parameters, not format; bad input is a 400 as for the JSON.
    expect((await fetchCsv(`/api/history/charts/volume.csv?format=json`)).status).toBe(400);
    expect((await fetchCsv(`/api/history/charts/heatmap.csv?colour=red`)).status).toBe(400);
    expect((await fetchCsv(`/api/history/charts/volume?format=xml`)).status).toBe(400);

    const audits = await h.pool.query<{ action: string; target: string }>(
      `SELECT action, target FROM audit_log WHERE actor = 'ana' AND action LIKE 'export-chart-%' ORDER BY id`,
    );
    expect(audits.rows[0]).toEqual({ action: 'export-chart-volume', target: 'demo' });
    expect(new Set(audits.rows.map((r) => r.action))).toEqual(
      new Set([
        'export-chart-volume',
        'export-chart-heatmap',
        'export-chart-drones',
        'export-chart-precision',
      ]),
    );
  });
});
