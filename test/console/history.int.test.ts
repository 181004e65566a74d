import type { SensorEventInput } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAlert, storeEvents } from '../bench/history-seed';
import { makeAlert, startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';

let h: ConsoleHarness;
let server: RunningConsole;
const cookies: Record<string, string> = {};

// A fixed past, far from the clock: every query names its range.
const T0 = Date.parse('2026-03-02T08:00:00.000Z'); // a Monday
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const HOUR = 3_600_000;
let n = 0;
const id = (p: string) => `${p}-${++n}`;

const gsm = (at: number, zoneId: string, extra: Partial<SensorEventInput> = {}): SensorEventInput =>
  ({
    v: 1,
    eventId: id('g'),
    kind: 'gsm',
    siteId: 'demo',
    sensorId: zoneId.startsWith('b') ? 'gsm-b-1' : 'gsm-a-1',
    observedAt: iso(at),
    exercise: false,
    zoneId,
    tech: '4g',
    rssiDbm: -70,
    durationS: 12,
    activity: 'call',
    ...extra,
  }) as SensorEventInput;

const roster = (at: number, detaineeId: string, action: 'admit' | 'move' | 'release', cellId?: string) =>
  ({
    v: 1,
    eventId: id('r'),
    kind: 'roster',
    siteId: 'demo',
    sensorId: 'roster-gw',
    observedAt: iso(at),
    exercise: false,
    detaineeId,
    action,
    ...(cellId && { cellId }),
    effectiveAt: iso(at),
  }) as SensorEventInput;

const search = (at: number, cellIds: string[], findings: object[], occupants: string[] = []) =>
  ({
    v: 1,
    eventId: id('s'),
    kind: 'search',
    siteId: 'demo',
    sensorId: 'search-gw',
    observedAt: iso(at),
    exercise: false,
    searchId: id('search'),
    type: 'cell-inspection',
    trigger: 'routine',
    cellIds,
    startedAt: iso(at - 30 * MIN),
    endedAt: iso(at - 5 * MIN),
    occupants,
    findings,
  }) as SensorEventInput;

const heartbeat = (at: number, exercise = false) =>
  ({
    v: 1,
    eventId: id('hb'),
    kind: 'heartbeat',
    siteId: 'demo',
    sensorId: 'rf-1',
    observedAt: iso(at),
    exercise,
    status: 'ok',
    intervalS: 10,
  }) as SensorEventInput;

/** Status only (some routes answer CSV). */
const status = async (role: string | undefined, path: string) => {
  const res = await fetch(server.base + path, { headers: role ? { cookie: cookies[role]! } : {} });
  await res.arrayBuffer();
  return res.status;
};

const get = <T = Record<string, unknown>>(role: string | undefined, path: string) =>
  h.api<T>(server.base, role ? cookies[role] : undefined, 'GET', path);

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole();
  for (const [user, role] of [
    ['ana', 'analyst'],
    ['olga', 'operator'],
    ['tess', 'tester'],
  ] as const) {
    await h.addUser(user, role);
    cookies[role] = await h.login(server.base, user);
  }
  cookies.admin = await h.login(server.base, 'admin');
});
afterAll(() => h?.close());

describe('history API: access and input', () => {
  const paths = [
    '/api/history/events',
    '/api/history/events.csv',
    '/api/history/alerts',
    '/api/history/alerts.csv',
    '/api/history/searches',
    '/api/history/searches.csv',
    '/api/history/charts/volume',
    '/api/history/charts/heatmap',
    '/api/history/charts/drones',
    '/api/history/charts/precision',
    '/api/history/charts/volume.csv',
    '/api/history/charts/heatmap.csv',
    '/api/history/charts/drones.csv',
    '/api/history/charts/precision.csv',
    '/api/history/detainees/d-1/timeline',
  ];

  it('answers analysts and admins, refuses operators and testers (403) and strangers (401)', async () => {
    for (const path of paths) {
      expect(await status('analyst', path), `analyst ${path}`).toBe(200);
      expect(await status('admin', path), `admin ${path}`).toBe(200);
      expect(await status('operator', path), `operator ${path}`).toBe(403);
      expect(await status('tester', path), `tester ${path}`).toBe(403);
      expect(await status(undefined, path), `anonymous ${path}`).toBe(401);
    }
  });

  it('refuses bad parameters with 400 naming each one', async () => {
    const bad = async (path: string) => {
      const res = await get<{ error: string; issues: { path: string; message: string }[] }>('analyst', path);
      expect(res.status, path).toBe(400);
      return res.body.issues.map((i) => i.path);
    };
    expect(await bad('/api/history/events?limit=0')).toEqual(['limit']);
    expect(await bad('/api/history/events?limit=abc&kind=cat')).toEqual(['kind.0', 'limit']);
    expect(await bad('/api/history/events?wing=a')).toEqual(['wing']);
    expect(await bad('/api/history/events?from=yesterday')).toEqual(['from']);
    expect(await bad(`/api/history/events?from=${iso(T0)}&to=${iso(T0 - HOUR)}`)).toEqual(['from']);
    expect(await bad('/api/history/events?exercise=yes')).toEqual(['exercise']);
    expect(await bad('/api/history/events?cursor=not-a-cursor')).toEqual(['cursor']);
    expect(await bad('/api/history/events?format=csv&cursor=abc')).toEqual(['cursor']);
    expect(await bad('/api/history/alerts?severity=huge')).toEqual(['severity.0']);
    expect(await bad('/api/history/searches?found=maybe')).toEqual(['found']);
    expect(await bad('/api/history/charts/volume?siteId=nowhere')).toEqual(['siteId']);
    expect(await bad(`/api/history/charts/volume?bucket=15m&from=${iso(T0 - 400 * 24 * HOUR)}`)).toEqual([
      'bucket',
    ]);
    expect(await bad('/api/history/detainees/%20bad%20/timeline')).toEqual(['(root)']);
    expect(await bad('/api/history/detainees/d-1/timeline?limit=0')).toEqual(['limit']);
  });
});

describe('history API: events, searches, alerts', () => {
  const base = T0 + 10 * 24 * HOUR;
  beforeAll(async () => {
    await storeEvents(h.pool, [
      gsm(base, 'a-01'),
      gsm(base + MIN, 'a-02'),
      gsm(base + 2 * MIN, 'b-01'),
      search(
        base + 3 * MIN,
        ['a-01', 'b-02'],
        [{ category: 'phone', qty: 1, cellId: 'a-01', attributedTo: 'd-77' }],
      ),
      search(base + 4 * MIN, ['a-02'], [], ['d-78']),
      roster(base + 5 * MIN, 'd-78', 'admit', 'a-02'),
      heartbeat(base + 6 * MIN),
      heartbeat(base + 7 * MIN, true),
    ]);
  });
  const range = `from=${iso(base)}&to=${iso(base + HOUR)}`;
  const ids = async (path: string, key = 'events') => {
    const res = await get<Record<string, { eventId?: string; kind?: string; alertId?: string }[]>>(
      'analyst',
      path,
    );
    expect(res.status, path).toBe(200);
    return res.body[key]!;
  };

  it('filters by wing, cell, kind, sensor and detainee, newest first, exercise hidden by default', async () => {
    expect(await ids(`/api/history/events?${range}`)).toHaveLength(7);
    expect((await ids(`/api/history/events?${range}&exercise=include`)).length).toBe(8);
    const only = await ids(`/api/history/events?${range}&exercise=only`);
    expect(only.map((e) => e.kind)).toEqual(['heartbeat']);
    const wingA = await ids(`/api/history/events?${range}&wingId=a`);
    expect(wingA.map((e) => e.kind)).toEqual(['roster', 'search', 'gsm', 'gsm']);
    // A cell: GSM in it, searches naming it among others, roster placements into it.
    const cell = await ids(`/api/history/events?${range}&cellId=a-02`);
    expect(cell.map((e) => e.kind)).toEqual(['roster', 'search', 'gsm']);
    const b02 = await ids(`/api/history/events?${range}&cellId=b-02`);
    expect(b02.map((e) => e.kind)).toEqual(['search']);
    expect((await ids(`/api/history/events?${range}&kind=gsm,heartbeat`)).length).toBe(4);
    expect((await ids(`/api/history/events?${range}&sensorId=gsm-b-1`)).length).toBe(1);
    const d78 = await ids(`/api/history/events?${range}&detaineeId=d-78`);
    expect(d78.map((e) => e.kind)).toEqual(['roster', 'search']);
    expect((await ids(`/api/history/events?${range}&detaineeId=d-77`)).map((e) => e.kind)).toEqual([
      'search',
    ]);
  });

  it('lists searches with their findings, filtered by cell, detainee and result', async () => {
    const all = await ids(`/api/history/searches?${range}`, 'searches');
    expect(all).toHaveLength(2);
    expect(await ids(`/api/history/searches?${range}&found=true`, 'searches')).toMatchObject([
      { findings: [{ category: 'phone', cellId: 'a-01' }] },
    ]);
    expect(await ids(`/api/history/searches?${range}&found=false&cellId=a-02`, 'searches')).toHaveLength(1);
    expect(await ids(`/api/history/searches?${range}&detaineeId=d-77`, 'searches')).toHaveLength(1);
    expect(await ids(`/api/history/searches?${range}&cellId=b-01`, 'searches')).toHaveLength(0);
  });

  it('lists alerts by opening time with rule, severity, cell and detainee filters, and one alert with its revisions', async () => {
    const at = (m: number) => iso(base + m * MIN);
    await storeAlert(
      h.pool,
      makeAlert({
        alertId: 'h-al-1',
        rule: 'gsm-burst',
        severity: 'low',
        openedAt: at(1),
        updatedAt: at(1),
        cellIds: ['a-01'],
        detaineeIds: ['d-1'],
      }),
    );
    await storeAlert(
      h.pool,
      makeAlert({
        alertId: 'h-al-2',
        rule: 'drone-incursion',
        severity: 'high',
        openedAt: at(2),
        updatedAt: at(2),
        cellIds: [],
        detaineeIds: [],
      }),
    );
    await storeAlert(
      h.pool,
      makeAlert({
        alertId: 'h-al-3',
        rule: 'drone-incursion',
        severity: 'high',
        openedAt: at(3),
        updatedAt: at(3),
        exercise: true,
      }),
    );
    expect((await ids(`/api/history/alerts?${range}`, 'alerts')).map((a) => a.alertId)).toEqual([
      'h-al-2',
      'h-al-1',
    ]);
    expect((await ids(`/api/history/alerts?${range}&exercise=only`, 'alerts')).map((a) => a.alertId)).toEqual(
      ['h-al-3'],
    );
    expect(
      (await ids(`/api/history/alerts?${range}&rule=gsm-burst`, 'alerts')).map((a) => a.alertId),
    ).toEqual(['h-al-1']);
    expect((await ids(`/api/history/alerts?${range}&severity=high`, 'alerts')).map((a) => a.alertId)).toEqual(
      ['h-al-2'],
    );
    expect((await ids(`/api/history/alerts?${range}&cellId=a-01`, 'alerts')).map((a) => a.alertId)).toEqual([
      'h-al-1',
    ]);
    expect(
      (await ids(`/api/history/alerts?${range}&detaineeId=d-1`, 'alerts')).map((a) => a.alertId),
    ).toEqual(['h-al-1']);
    const one = await get<{ alert: { alertId: string }; history: { rev: number; change: string }[] }>(
      'analyst',
      '/api/history/alerts/h-al-1',
    );
    expect(one.status).toBe(200);
    expect(one.body.history).toMatchObject([{ rev: 1, change: 'opened' }]);
    expect((await get('analyst', '/api/history/alerts/nope')).status).toBe(404);
  });

  it('pages by keyset without a gap or a repeat while rows keep arriving', async () => {
    const start = T0 + 20 * 24 * HOUR;
    const seeded = Array.from({ length: 600 }, (_, i) => gsm(start + (i % 300) * 1000, 'c-01'));
    await storeEvents(h.pool, seeded);
    const window = `from=${iso(start - HOUR)}&to=${iso(start + HOUR)}&cellId=c-01`;
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const res: { status: number; body: { events: { eventId: string }[]; nextCursor: string | null } } =
        await get('analyst', `/api/history/events?${window}&limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.events.map((e) => e.eventId));
      cursor = res.body.nextCursor;
      // Meanwhile: new rows at the top, at the same instants as rows already paged, and late ones below.
      await storeEvents(h.pool, [
        gsm(start + 299_000 + 1000, 'c-01'),
        gsm(start + (inserted % 300) * 1000, 'c-01'),
        gsm(start - 1000 * (inserted + 1), 'c-01'),
      ]);
      inserted++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const missing = seeded.map((e) => e.eventId).filter((x) => !seen.includes(x));
    expect(missing).toEqual([]);
  });
});

/** A minimal RFC 4180 reader, to check the server's quoting from the other side. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

describe('history API: CSV export', () => {
  it('exports a filtered view as an RFC 4180 attachment with a header row', async () => {
    const at = T0 + 30 * 24 * HOUR;
    await storeEvents(h.pool, [
      search(at, ['d-01'], [{ category: 'other', qty: 2, cellId: 'd-01' }]),
      gsm(at + MIN, 'd-01', { deviceKey: 'dev, "quoted"\nline' } as Partial<SensorEventInput>),
    ]);
    const res = await fetch(
      `${server.base}/api/history/events.csv?cellId=d-01&from=${iso(at)}&to=${iso(at + HOUR)}`,
      {
        headers: { cookie: cookies.analyst! },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="wachtpost-events-.*\.csv"$/,
    );
    const records = parseCsv(await res.text());
    expect(records[0]).toEqual([
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
      'observed_at_local',
    ]);
    expect(records).toHaveLength(3);
    const body = JSON.parse(records[1]![9]!) as { deviceKey: string };
    expect(body.deviceKey).toBe('dev, "quoted"\nline');
    expect(records[2]![3]).toBe('search');
    // format=csv on the list route is the same export; an export is audited.
    const same = await fetch(
      `${server.base}/api/history/events?format=csv&cellId=d-01&from=${iso(at)}&to=${iso(at + HOUR)}`,
      { headers: { cookie: cookies.analyst! } },
    );
    expect(parseCsv(await same.text())).toEqual(records);
    const audits = await h.pool.query(
      `SELECT 1 FROM audit_log WHERE actor = 'ana' AND action = 'export-events' AND detail->'query'->>'cellId' = 'd-01'`,
    );
    expect(audits.rowCount).toBe(2);
  });

  it('gives each list its time on the site clock too, both sides of the clocks going back', async () => {
    // 25 October 2026, Europe/Amsterdam: 03:00 CEST becomes 02:00 CET, so 02:30 local comes twice.
    const first = Date.parse('2026-10-25T00:30:00.000Z');
    const second = Date.parse('2026-10-25T01:30:00.000Z');
    await storeEvents(h.pool, [gsm(first, 'd-02'), search(second, ['d-02'], [])]);
    await storeAlert(
      h.pool,
      makeAlert({ wingId: 'd', cellIds: ['d-02'], openedAt: iso(first), updatedAt: iso(first) }),
    );
    const range = `cellId=d-02&from=${iso(first - HOUR)}&to=${iso(second + HOUR)}`;
    const records = async (list: string) => {
      const res = await fetch(`${server.base}/api/history/${list}.csv?${range}`, {
        headers: { cookie: cookies.analyst! },
      });
      const [header, ...rows] = parseCsv(await res.text());
      return rows.map((r) => Object.fromEntries(header!.map((k, i) => [k, r[i]])));
    };
    const events = await records('events');
    expect(events.map((e) => [e.kind, e.observed_at_local])).toEqual([
      ['search', '2026-10-25 02:30:00'],
      ['gsm', '2026-10-25 02:30:00'],
    ]);
    // The UTC column tells the two 02:30s apart.
    expect(events.map((e) => Date.parse(e.observed_at!))).toEqual([second, first]);
    expect((await records('searches')).map((s) => s.observed_at_local)).toEqual(['2026-10-25 02:30:00']);
    expect((await records('alerts')).map((a) => a.opened_at_local)).toEqual(['2026-10-25 02:30:00']);
  });

  it('streams 50,000 rows with an exact count and flat memory', async () => {
    const start = T0 + 40 * 24 * HOUR;
    const total = 50_000;
    for (let i = 0; i < total; i += 10_000) {
      await storeEvents(
        h.pool,
        Array.from({ length: 10_000 }, (_, j) => gsm(start + (i + j) * 1000, 'e-0' + (1 + ((i + j) % 9)))),
      );
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const res = await fetch(
      `${server.base}/api/history/events.csv?wingId=e&from=${iso(start)}&to=${iso(start + total * 1000)}`,
      { headers: { cookie: cookies.analyst! } },
    );
    expect(res.status).toBe(200);
    // Read as a stream, counting lines, so the test itself holds no copy of the file.
    let lines = 0;
    let bytes = 0;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      lines += decoder.decode(chunk, { stream: true }).split('\r\n').length - 1;
    }
    clearInterval(sampler);
    expect(lines).toBe(total + 1);
    expect(bytes).toBeGreaterThan(15_000_000);
    // Buffered, 50,000 parsed rows and their text would take well over 100 MB of heap; batches of 5,000 do not.
    expect(peak - before).toBeLessThan(60_000_000);
  });
});
