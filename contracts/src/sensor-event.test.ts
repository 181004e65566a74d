import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DroneEvent,
  EVENT_ID_PATTERN,
  FINDING_CATEGORIES,
  SENSOR_EVENT_KINDS,
  SensorEvent,
  TOKEN_PATTERN,
  referencedPlaces,
  type SensorEventKind,
} from './sensor-event';
import {
  expectVerdict,
  named,
  NOW,
  NOW_ISO,
  rows,
  sampleEvent,
  withField,
  type Body,
  type Row,
} from './test-support';

const check = (base: Body, row: Row) =>
  expectVerdict(SensorEvent.safeParse(withField(base, row.path, row.value)), row);

const KINDS: SensorEventKind[] = [...SENSOR_EVENT_KINDS];

describe('the samples used across the tests', () => {
  it.each(KINDS)('a %s sample is valid', (kind) => {
    expect(SensorEvent.safeParse(sampleEvent(kind)).error?.issues).toBeUndefined();
  });
});

describe.each(KINDS)('envelope of a %s event', (kind) => {
  const table: Row[] = [
    ...rows(['v'], [1], [0, 2, '1', 1.5, undefined]),
    ...rows(
      ['eventId'],
      [
        'a',
        'A',
        '0',
        '_',
        '-',
        'x'.repeat(64),
        '01HZX3Q8K2V7M4N5P6R7S8T9UA',
        'b5f1d8a4-1c2e-4f5a-9b7d-3e2c1a0f9e8d',
        'gw_01-seq_99',
      ],
      ['', 'x'.repeat(65), 'a b', 'a.b', 'a/b', 'a:b', 'é', 'id\n', '+1', 42, null, undefined],
    ),
    ...rows(
      ['siteId'],
      ['demo', 'a', '0', 'pi-vught-2', 'a'.repeat(63)],
      ['', 'a'.repeat(64), 'Demo', '-demo', 'de_mo', 'de.mo', 'de mo', 'démo', undefined],
    ),
    ...rows(
      ['sensorId'],
      ['gsm-a-1', 'x', '9'],
      ['', 'Gsm-a-1', '-gsm', 'gsm.a', 'gsm>', '*', 'a'.repeat(64)],
    ),
    ...rows(
      ['observedAt'],
      ['2026-03-01T12:00:00.000Z', '2024-02-29T23:59:59.999Z', '1999-12-31T00:00:00.001Z'],
      [
        '2026-03-01T12:00:00Z',
        '2026-03-01T12:00:00.0Z',
        '2026-03-01T12:00:00.00Z',
        '2026-03-01T12:00:00.0000Z',
        '2026-03-01T12:00:00.000000Z',
        '2026-03-01T13:00:00.000+01:00',
        '2026-03-01T12:00:00.000+00:00',
        '2026-03-01T12:00:00.000',
        '2026-03-01 12:00:00.000Z',
        '2026-03-01t12:00:00.000z',
        '2026-02-29T12:00:00.000Z',
        '2026-03-01T24:00:00.000Z',
        '2026-03-01',
        1772366400000,
        '',
        undefined,
      ],
    ),
    ...rows(['seq'], [0, 1, 2 ** 40, undefined], [-1, 1.5, '3', null]),
    ...rows(['exercise'], [true, false, undefined], ['false', 0, null]),
    ...rows(['kind'], [], ['radar', 'Drone', '', undefined]),
  ];
  it.each(named(table))('%s', (_label, row) => check(sampleEvent(kind), row));

  it('defaults exercise to false and keeps true', () => {
    expect(SensorEvent.parse(withField(sampleEvent(kind), ['exercise'], undefined)).exercise).toBe(false);
    expect(SensorEvent.parse(withField(sampleEvent(kind), ['exercise'], true)).exercise).toBe(true);
  });
});

describe('the token and event id patterns', () => {
  it('match exactly the documented character sets', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 70 }), (s) => {
        expect(TOKEN_PATTERN.test(s)).toBe(/^[a-z0-9]/.test(s) && /^[a-z0-9-]*$/.test(s) && s.length <= 63);
        expect(EVENT_ID_PATTERN.test(s)).toBe(/^[A-Za-z0-9_-]*$/.test(s) && s.length >= 1 && s.length <= 64);
      }),
    );
  });
});

describe('drone events', () => {
  const base = sampleEvent('drone');
  const table: Row[] = [
    ...rows(['trackId'], ['t', 'x'.repeat(128)], ['', 'x'.repeat(129), 7, undefined]),
    ...rows(['phase'], ['start', 'update', 'end'], ['begin', '', undefined]),
    ...rows(
      ['detection'],
      ['rf', 'radar', 'remote-id', 'vision', 'acoustic', 'fused'],
      ['lidar', 'RF', undefined],
    ),
    ...rows(['category'], ['drone', 'controller', 'unknown', undefined], ['bird', '']),
    ...rows(['classification'], [undefined, { confidence: 0.5 }], [{ model: 'x' }, 'DJI']),
    ...rows(['classification', 'confidence'], [0, 1, 0.5], [-0.01, 1.01, '0.5', undefined]),
    ...rows(['classification', 'model'], [undefined, 'DJI Mavic 3'], [3]),
    ...rows(['classification', 'protocol'], [undefined, 'OcuSync 3'], [false]),
    ...rows(['position'], [undefined, { lat: 0, lon: 0 }], [{ lat: 51.66 }, { lon: 5.29 }, [51.66, 5.29]]),
    ...rows(['position', 'lat'], [-90, 90, 0, 51.66], [-90.01, 90.01, '51.66', undefined]),
    ...rows(['position', 'lon'], [-180, 180, 5.29], [-180.01, 180.01, undefined]),
    ...rows(['position', 'altM'], [undefined, -12.5, 0, 120], ['40']),
    ...rows(['position', 'accuracyM'], [undefined, 0, 0.1, 5000], [-0.01, -1]),
    ...rows(
      ['bearingDeg'],
      [undefined, 0, 0.01, 180, 359.99, -0.01, -24.36, -359.99, -360, -720.5],
      [360, 360.01, 720, '10'],
    ),
    ...rows(['headingDeg'], [undefined, 0, 0.01, 359.99], [360, 360.01, -0.01, -24.36]),
    ...rows(['groundSpeedMps'], [undefined, 0, 25.3, -1], ['fast']),
    ...rows(['climbMps'], [undefined, -3.2, 0, 4.5], [null]),
    ...rows(['remoteId'], [undefined, { uasId: 'X' }], [{}, { operatorLat: 51 }]),
    ...rows(['remoteId', 'uasId'], ['1581F5BKD229S00B00E7', 'x'.repeat(64)], ['', 'x'.repeat(65), undefined]),
    ...rows(['remoteId', 'operatorLat'], [undefined, -90, 90], [-90.01, 90.01]),
    ...rows(['remoteId', 'operatorLon'], [undefined, -180, 180], [-180.01, 180.01]),
    ...rows(['rssiDbm'], [undefined, -150, -149.99, -71, -0.01, 0], [-150.01, -151, 0.01, 0.1, 3]),
    ...rows(['freqMHz'], [undefined, 0.001, 433.92, 2437, 5800], [0, -0.001, -2437]),
  ];
  it.each(named(table))('%s', (_label, row) => check(base, row));

  it('defaults category to drone', () => {
    expect(DroneEvent.parse(withField(base, ['category'], undefined)).category).toBe('drone');
    expect(DroneEvent.parse(withField(base, ['category'], 'controller')).category).toBe('controller');
  });

  it.each([
    [-24.36, 335.64],
    [-0.01, 359.99],
    [-90, 270],
    [-180, 180],
    [-359.99, 0.01],
    [-360, 0],
    [-370, 350],
    [-720.5, 359.5],
    [0, 0],
    [24.36, 24.36],
    [359.99, 359.99],
  ])('bearingDeg %d is normalised to %d', (sent, stored) => {
    const bearing = DroneEvent.parse(withField(base, ['bearingDeg'], sent)).bearingDeg!;
    expect(bearing).toBeCloseTo(stored, 9);
    expect(bearing).toBeGreaterThanOrEqual(0);
    expect(bearing).toBeLessThan(360);
  });

  it('normalises every accepted bearing into [0, 360) and leaves those already there untouched', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 360, maxExcluded: true, noNaN: true }), (sent) => {
        const bearing = DroneEvent.parse(withField(base, ['bearingDeg'], sent)).bearingDeg!;
        expect(bearing).toBeGreaterThanOrEqual(0);
        expect(bearing).toBeLessThan(360);
        if (sent >= 0) expect(bearing === sent).toBe(true);
      }),
    );
  });

  it('keeps bearing-only RF detections without a position', () => {
    const rfOnly = withField(withField(base, ['position'], undefined), ['remoteId'], undefined);
    expect(DroneEvent.parse(rfOnly).position).toBeUndefined();
  });
});

describe('gsm events', () => {
  const base = sampleEvent('gsm');
  const table: Row[] = [
    ...rows(['zoneId'], ['a-01', 'yard-1', 'B1.23', 'z'.repeat(64)], ['', 'z'.repeat(65), 3, undefined]),
    ...rows(['tech'], ['2g', '4g', '5g', 'unknown'], ['3g', 'lte', '4G', undefined]),
    ...rows(['band'], [undefined, 'B20', 'n78', 'GSM900'], [20, 'b'.repeat(33)]),
    ...rows(['rssiDbm'], [-150, -149.99, -63, -0.01, 0], [-150.01, -200, 0.01, 0.1, '-63', undefined]),
    ...rows(['durationS'], [0, 0.2, 42, 86_400], [-0.01, -1, '42', undefined]),
    ...rows(['activity'], ['call', 'sms', 'data', 'registration', 'unknown', undefined], ['voice', '']),
    ...rows(['deviceKey'], [undefined, 'dk-7f3a', 'k'.repeat(128)], ['', 'k'.repeat(129), 7]),
  ];
  it.each(named(table))('%s', (_label, row) => check(base, row));

  it('defaults activity to unknown', () => {
    expect(SensorEvent.parse(withField(base, ['activity'], undefined))).toMatchObject({
      activity: 'unknown',
    });
    expect(SensorEvent.parse(withField(base, ['activity'], 'sms'))).toMatchObject({ activity: 'sms' });
  });
});

describe('search events', () => {
  const base = sampleEvent('search');
  const finding = { category: 'sim', qty: 2, cellId: 'b-06' };
  const table: Row[] = [
    ...rows(['searchId'], ['s', 'x'.repeat(128)], ['', 'x'.repeat(129), undefined]),
    ...rows(['type'], ['cell-inspection', 'sweep', 'spitactie', 'targeted'], ['raid', undefined]),
    ...rows(['trigger'], ['routine', 'intelligence', 'sensor-alert', 'incident'], ['hunch', undefined]),
    ...rows(['alertIds'], [undefined, [], ['a-1', 'a-2']], [[''], 'a-1']),
    ...rows(
      ['cellIds'],
      [['b-05'], ['b-05', 'b-06', 'c-01']],
      [[], [''], 'b-05', ['x'.repeat(65)], undefined],
    ),
    ...rows(['occupants'], [undefined, [], ['det-1', 'det-2']], [[''], 'det-1']),
    ...rows(
      ['findings'],
      [[], [finding], [finding, { ...finding, category: 'drugs', qty: 1 }]],
      [undefined, finding],
    ),
    ...rows(['findings', 0, 'category'], [...FINDING_CATEGORIES], ['knife', 'Phone', undefined]),
    ...rows(['findings', 0, 'qty'], [1, 2, 40], [0, -1, 1.5, '1', undefined]),
    ...rows(['findings', 0, 'cellId'], ['b-05'], ['', undefined]),
    ...rows(['findings', 0, 'attributedTo'], [undefined, 'det-0001'], ['']),
    ...rows(['findings', 0, 'deviceKey'], [undefined, 'dk-1'], ['']),
    ...rows(
      ['startedAt'],
      [
        '2026-03-01T11:00:00Z',
        '2026-03-01T11:00:00.000Z',
        '2026-03-01T12:00:00+01:00',
        '2026-03-01T11:00:00.123456Z',
      ],
      ['2026-03-01T11:00:00', '2026-03-01 11:00:00Z', '2026-03-01', undefined],
    ),
    ...rows(['endedAt'], ['2026-03-01T11:20:00Z', '2026-03-01T12:20:00.5+01:00'], ['yesterday', undefined]),
  ];
  it.each(named(table))('%s', (_label, row) => check(base, row));

  it.each([
    { startedAt: '2026-03-01T11:00:00.000Z', endedAt: '2026-03-01T11:00:00.000Z', ok: true },
    { startedAt: '2026-03-01T11:00:00.000Z', endedAt: '2026-03-01T11:00:00.001Z', ok: true },
    { startedAt: '2026-03-01T11:00:00.001Z', endedAt: '2026-03-01T11:00:00.000Z', ok: false },
    { startedAt: '2026-03-01T11:20:00.000Z', endedAt: '2026-03-01T11:00:00.000Z', ok: false },
    // Compared as instants, not as text: 12:00+01:00 is 11:00Z.
    { startedAt: '2026-03-01T12:00:00+01:00', endedAt: '2026-03-01T11:30:00Z', ok: true },
    { startedAt: '2026-03-01T11:30:00Z', endedAt: '2026-03-01T12:00:00+01:00', ok: false },
    // RFC 3339 allows any precision: instants less than a millisecond apart are still ordered.
    { startedAt: '2026-03-01T11:00:00.0005Z', endedAt: '2026-03-01T11:00:00.0001Z', ok: false },
    { startedAt: '2026-03-01T11:00:00.000001Z', endedAt: '2026-03-01T11:00:00Z', ok: false },
    { startedAt: '2026-03-01T11:00:00.9999999Z', endedAt: '2026-03-01T11:00:00.999Z', ok: false },
    { startedAt: '2026-03-01T12:00:00.123456+01:00', endedAt: '2026-03-01T11:00:00.123455Z', ok: false },
    { startedAt: '2026-03-01T11:00:00.0001Z', endedAt: '2026-03-01T11:00:00.0005Z', ok: true },
    { startedAt: '2026-03-01T11:00:00.1Z', endedAt: '2026-03-01T11:00:00.100000000Z', ok: true },
    { startedAt: '2026-03-01T12:00:00.123455+01:00', endedAt: '2026-03-01T11:00:00.123456Z', ok: true },
  ])('startedAt $startedAt, endedAt $endedAt: accepted $ok', ({ startedAt, endedAt, ok }) => {
    const result = SensorEvent.safeParse({ ...base, startedAt, endedAt });
    expect(result.success).toBe(ok);
    if (!ok) expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['endedAt']);
  });
});

describe('search times compared as exact instants', () => {
  const base = sampleEvent('search');
  const baseSecond = Math.floor(NOW / 1000);
  /**
   * An instant `second` s after NOW's second, with up to nine fraction digits, written in an offset. Few
   * seconds and a few millisecond prefixes, so that pairs often differ only below the millisecond.
   */
  const instantArb = fc.record({
    second: fc.integer({ min: 0, max: 1 }),
    fraction: fc.oneof(
      fc.stringMatching(/^[0-9]{0,9}$/),
      fc
        .tuple(fc.constantFrom('000', '500', '999'), fc.stringMatching(/^[0-9]{0,6}$/))
        .map(([ms, below]) => ms + below),
      fc.constantFrom('', '0', '00', '000', '000000000'),
    ),
    offsetMin: fc.constantFrom(0, 60, -300, 330),
  });
  const text = ({ second, fraction, offsetMin }: { second: number; fraction: string; offsetMin: number }) => {
    const local = new Date((baseSecond + second) * 1000 + offsetMin * 60_000).toISOString().slice(0, 19);
    const sign = offsetMin < 0 ? '-' : '+';
    const hh = String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0');
    const mm = String(Math.abs(offsetMin) % 60).padStart(2, '0');
    return `${local}${fraction && `.${fraction}`}${offsetMin === 0 ? 'Z' : `${sign}${hh}:${mm}`}`;
  };
  /** Nanoseconds after NOW's second: exact, whatever the digits. */
  const nanos = ({ second, fraction }: { second: number; fraction: string }) =>
    BigInt(second) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));

  it('accepts a search exactly when endedAt is not before startedAt, to the nanosecond', () => {
    fc.assert(
      fc.property(instantArb, instantArb, (start, end) => {
        const result = SensorEvent.safeParse({ ...base, startedAt: text(start), endedAt: text(end) });
        expect(result.success).toBe(nanos(end) >= nanos(start));
      }),
    );
  });
});

describe('roster events', () => {
  const base = sampleEvent('roster');
  const table: Row[] = [
    ...rows(['detaineeId'], ['det-0001', 'd'.repeat(64)], ['', 'd'.repeat(65), undefined]),
    ...rows(['action'], ['admit', 'move', 'release'], ['transfer', undefined]),
    ...rows(['cellId'], ['c-03', 'B1.23'], ['', 'c'.repeat(65), 3]),
    ...rows(
      ['effectiveAt'],
      // May lie before observedAt (late corrections) or carry an offset.
      ['2020-01-01T00:00:00Z', '2026-03-01T08:00:00+01:00', NOW_ISO],
      ['2026-03-01T08:00:00', 'now', undefined],
    ),
  ];
  it.each(named(table))('%s', (_label, row) => check(base, row));

  it.each([
    { action: 'admit', cellId: 'c-03', ok: true },
    { action: 'admit', cellId: undefined, ok: false },
    { action: 'move', cellId: 'c-03', ok: true },
    { action: 'move', cellId: undefined, ok: false },
    { action: 'release', cellId: undefined, ok: true },
    { action: 'release', cellId: 'c-03', ok: true },
  ])('$action with cellId $cellId: accepted $ok', ({ action, cellId, ok }) => {
    const result = SensorEvent.safeParse(withField({ ...base, action }, ['cellId'], cellId));
    expect(result.success).toBe(ok);
    if (!ok) expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['cellId']);
  });
});

describe('heartbeat events', () => {
  const base = sampleEvent('heartbeat');
  const table: Row[] = [
    ...rows(['status'], ['ok', 'degraded', 'fault'], ['down', 'OK', undefined]),
    ...rows(['intervalS'], [1, 1.5, 10, 3599.99, 3600], [0, 0.99, -1, 3600.01, 3601, '10', undefined]),
    ...rows(['detail'], [undefined, '', 'x'.repeat(500), 'é'.repeat(500)], ['x'.repeat(501), 12]),
  ];
  it.each(named(table))('%s', (_label, row) => check(base, row));
});

describe('referencedPlaces', () => {
  it.each([
    { kind: 'drone' as const, zoneIds: [], cellIds: [] },
    { kind: 'gsm' as const, zoneIds: ['a-03'], cellIds: [] },
    { kind: 'search' as const, zoneIds: [], cellIds: ['b-05', 'b-06', 'b-05'] },
    { kind: 'roster' as const, zoneIds: [], cellIds: ['c-03'] },
    { kind: 'heartbeat' as const, zoneIds: [], cellIds: [] },
  ])('names the zones and cells of a $kind event', ({ kind, zoneIds, cellIds }) => {
    expect(referencedPlaces(SensorEvent.parse(sampleEvent(kind)))).toEqual({ zoneIds, cellIds });
  });

  it('names no cell for a release without one', () => {
    const release = withField({ ...sampleEvent('roster'), action: 'release' }, ['cellId'], undefined);
    expect(referencedPlaces(SensorEvent.parse(release))).toEqual({ zoneIds: [], cellIds: [] });
  });
});
