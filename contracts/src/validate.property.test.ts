import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVENT_ID_PATTERN,
  FINDING_CATEGORIES,
  MAX_EVENT_BYTES,
  SENSOR_EVENT_KINDS,
  SensorEvent,
  TOKEN_PATTERN,
  type SensorEventKind,
} from './sensor-event';
import { sensorSubject } from './subjects';
import { NOW, bytes, demoContext, demoSiteIndex, subjectOf, withField, type Body } from './test-support';
import {
  DEFAULT_RETENTION_MS,
  MAX_CLOCK_AHEAD_MS,
  validateSensorMessage,
  type RejectReason,
} from './validate';

const ctx = demoContext();
const site = demoSiteIndex();
const cells = [...site.wingOfCell.keys()];
const zones = [...site.zones.keys()];
const sensorsOfKind = (kind: SensorEventKind) =>
  [...site.sensors.values()].filter((s) => kind === 'heartbeat' || s.kind === kind).map((s) => s.id);

const iso = (ms: number) => new Date(ms).toISOString();
/** An RFC 3339 instant with a whole-hour or half-hour offset, as roster and search times may carry. */
function withOffset(ms: number, offsetMin: number): string {
  if (offsetMin === 0) return iso(ms);
  const sign = offsetMin < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offsetMin) % 60).padStart(2, '0');
  return `${iso(ms + offsetMin * 60_000).slice(0, -1)}${sign}${hh}:${mm}`;
}

// ---- Arbitraries of valid events for the demo site, observed within the clock window of NOW ----

const text = (maxLength: number) => fc.string({ minLength: 1, maxLength });
const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
const windowMs = fc.integer({ min: NOW - DEFAULT_RETENTION_MS, max: NOW + MAX_CLOCK_AHEAD_MS });
const instant = fc
  .tuple(windowMs, fc.constantFrom(0, 60, 120, -300, 330))
  .map(([ms, off]) => withOffset(ms, off));
const cell = fc.constantFrom(...cells);

function envelope(kind: SensorEventKind) {
  return fc.record(
    {
      v: fc.constant(1),
      eventId: fc.stringMatching(EVENT_ID_PATTERN),
      kind: fc.constant(kind),
      siteId: fc.constant('demo'),
      sensorId: fc.constantFrom(...sensorsOfKind(kind)),
      observedAt: windowMs.map(iso),
      seq: fc.nat(),
      exercise: fc.boolean(),
    },
    { requiredKeys: ['v', 'eventId', 'kind', 'siteId', 'sensorId', 'observedAt'] },
  );
}

const droneFields = fc.record(
  {
    trackId: text(128),
    phase: fc.constantFrom('start', 'update', 'end'),
    detection: fc.constantFrom('rf', 'radar', 'remote-id', 'vision', 'acoustic', 'fused'),
    category: fc.constantFrom('drone', 'controller', 'unknown'),
    classification: fc.record(
      {
        model: fc.string({ maxLength: 200 }),
        protocol: fc.string({ maxLength: 200 }),
        confidence: finite(0, 1),
      },
      { requiredKeys: ['confidence'] },
    ),
    position: fc.record(
      { lat: finite(-90, 90), lon: finite(-180, 180), altM: anyFinite, accuracyM: finite(0, 1e6) },
      { requiredKeys: ['lat', 'lon'] },
    ),
    bearingDeg: fc.double({ min: -720, max: 360, maxExcluded: true, noNaN: true }),
    groundSpeedMps: anyFinite,
    climbMps: anyFinite,
    headingDeg: fc.double({ min: 0, max: 360, maxExcluded: true, noNaN: true }),
    remoteId: fc.record(
      { uasId: text(64), operatorLat: finite(-90, 90), operatorLon: finite(-180, 180) },
      { requiredKeys: ['uasId'] },
    ),
    rssiDbm: finite(-150, 0),
    freqMHz: fc.double({ min: 0, minExcluded: true, max: 1e5, noNaN: true }),
  },
  { requiredKeys: ['trackId', 'phase', 'detection'] },
);

const gsmFields = fc.record(
  {
    zoneId: fc.constantFrom(...zones),
    tech: fc.constantFrom('2g', '4g', '5g', 'unknown'),
    band: fc.string({ maxLength: 32 }),
    rssiDbm: finite(-150, 0),
    durationS: finite(0, 86_400),
    activity: fc.constantFrom('call', 'sms', 'data', 'registration', 'unknown'),
    deviceKey: text(128),
  },
  { requiredKeys: ['zoneId', 'tech', 'rssiDbm', 'durationS'] },
);

const finding = fc.record(
  {
    category: fc.constantFrom(...FINDING_CATEGORIES),
    qty: fc.integer({ min: 1, max: 500 }),
    cellId: cell,
    attributedTo: text(64),
    deviceKey: text(128),
  },
  { requiredKeys: ['category', 'qty', 'cellId'] },
);

const searchFields = fc
  .tuple(
    fc.record(
      {
        searchId: text(128),
        type: fc.constantFrom('cell-inspection', 'sweep', 'spitactie', 'targeted'),
        trigger: fc.constantFrom('routine', 'intelligence', 'sensor-alert', 'incident'),
        alertIds: fc.array(text(128), { maxLength: 4 }),
        cellIds: fc.array(cell, { minLength: 1, maxLength: 8 }),
        occupants: fc.array(text(64), { maxLength: 4 }),
        findings: fc.array(finding, { maxLength: 5 }),
      },
      { requiredKeys: ['searchId', 'type', 'trigger', 'cellIds', 'findings'] },
    ),
    windowMs,
    fc.integer({ min: 0, max: 8 * 3_600_000 }),
    fc.constantFrom(0, 60, 120),
    fc.constantFrom(0, 60, -300),
  )
  .map(([fields, start, length, startOffset, endOffset]) => ({
    ...fields,
    startedAt: withOffset(start, startOffset),
    endedAt: withOffset(start + length, endOffset),
  }));

const rosterFields = fc.oneof(
  fc.record({
    detaineeId: text(64),
    action: fc.constantFrom('admit', 'move'),
    cellId: cell,
    effectiveAt: instant,
  }),
  fc.record(
    { detaineeId: text(64), action: fc.constant('release'), cellId: cell, effectiveAt: instant },
    { requiredKeys: ['detaineeId', 'action', 'effectiveAt'] },
  ),
);

const heartbeatFields = fc.record(
  {
    status: fc.constantFrom('ok', 'degraded', 'fault'),
    intervalS: finite(1, 3600),
    detail: fc.string({ maxLength: 500 }),
  },
  { requiredKeys: ['status', 'intervalS'] },
);

const fieldsOf: Record<SensorEventKind, fc.Arbitrary<Body>> = {
  drone: droneFields,
  gsm: gsmFields,
  search: searchFields,
  roster: rosterFields,
  heartbeat: heartbeatFields,
};

const validEventOf = (kind: SensorEventKind): fc.Arbitrary<Body> =>
  fc.tuple(envelope(kind), fieldsOf[kind]).map(([env, fields]) => ({ ...env, ...fields }));
const validEvent = fc.oneof(...SENSOR_EVENT_KINDS.map(validEventOf));

const verdictOf = (subject: string, data: Uint8Array) => validateSensorMessage(subject, data, ctx);
const verdictOfBody = (body: Body, subject = subjectOf(body)) =>
  verdictOf(subject, bytes(JSON.stringify(body)));

function expectReason(verdict: ReturnType<typeof verdictOf>, reason: RejectReason, eventId?: unknown) {
  expect(verdict).toMatchObject({ ok: false, reason });
  if (eventId !== undefined) expect(verdict).toMatchObject({ eventId });
}

// ---- Properties ----

describe('valid events', () => {
  it.each([...SENSOR_EVENT_KINDS])('every generated %s event is accepted', (kind) => {
    fc.assert(
      fc.property(validEventOf(kind), (body) => {
        const verdict = verdictOfBody(body);
        expect(verdict).toMatchObject({ ok: true });
        if (verdict.ok) {
          // Compared with the body as it crosses the wire (JSON writes -0 as 0).
          expect(verdict.event).toEqual(SensorEvent.parse(JSON.parse(JSON.stringify(body))));
          expect(verdict.event).toMatchObject({
            eventId: body.eventId,
            kind,
            exercise: body.exercise ?? false,
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every generated event stays far below the size limit', () => {
    fc.assert(
      fc.property(validEvent, (body) => {
        expect(bytes(JSON.stringify(body)).byteLength).toBeLessThan(MAX_EVENT_BYTES / 2);
      }),
    );
  });

  it('whitespace padding up to exactly 64 KiB keeps an event accepted', () => {
    fc.assert(
      fc.property(validEvent, fc.integer({ min: 0, max: 4096 }), (body, short) => {
        const json = JSON.stringify(body);
        const size = MAX_EVENT_BYTES - short;
        const data = bytes(json + ' '.repeat(size - bytes(json).byteLength));
        expect(data.byteLength).toBe(size);
        expect(verdictOf(subjectOf(body), data)).toMatchObject({ ok: true });
      }),
      { numRuns: 30 },
    );
  });
});

// ---- Mutations: one per reason, each applied to a valid event ----

describe('a mutated valid event is rejected with exactly the expected reason', () => {
  it('json: broken JSON text or invalid UTF-8', () => {
    const breakText = fc.oneof(
      // Any strict prefix of an object's text is not JSON.
      fc.nat().map((n) => (json: string) => bytes(json.slice(0, n % json.length))),
      fc
        .nat()
        .map(
          (n) => (json: string) =>
            bytes(`${json.slice(0, n % json.length)}\u0001${json.slice(n % json.length)}`),
        ),
      fc.constantFrom(
        (json: string) => bytes(json.replace(/}$/, ',}')),
        (json: string) => bytes(`${json}}`),
        (json: string) => bytes(json.replaceAll('"', "'")),
        (json: string) => bytes(`{${json}`),
      ),
      // 0xFF is never valid UTF-8, wherever it lands.
      fc.nat().map((n) => (json: string) => {
        const raw = bytes(json);
        const at = n % (raw.byteLength + 1);
        return Uint8Array.from([...raw.subarray(0, at), 0xff, ...raw.subarray(at)]);
      }),
    );
    fc.assert(
      fc.property(validEvent, breakText, (body, broken) => {
        expectReason(verdictOf(subjectOf(body), broken(JSON.stringify(body))), 'json');
      }),
    );
  });

  /** Field breakers: each sets one field of a valid event out of its bounds. */
  const envelopeBreaks: ((e: Body) => Body)[] = [
    (e) => ({ ...e, v: 2 }),
    (e) => ({ ...e, eventId: 'e'.repeat(65) }),
    (e) => ({ ...e, eventId: `${String(e.eventId).slice(0, 63)}!` }),
    (e) => ({ ...e, eventId: '' }),
    (e) => withField(e, ['eventId'], undefined),
    (e) => ({ ...e, observedAt: String(e.observedAt).replace(/\.\d{3}Z$/, 'Z') }),
    (e) => ({ ...e, observedAt: String(e.observedAt).replace(/Z$/, '+00:00') }),
    (e) => ({ ...e, observedAt: String(e.observedAt).replace('T', ' ') }),
    (e) => ({ ...e, seq: -1 }),
    (e) => ({ ...e, seq: 0.5 }),
    (e) => ({ ...e, exercise: 'false' }),
    (e) => ({ ...e, siteId: 'Demo' }),
    (e) => ({ ...e, sensorId: `${String(e.sensorId)}_x` }),
  ];
  const kindBreaks: Record<SensorEventKind, ((e: Body) => Body)[]> = {
    drone: [
      (e) => ({ ...e, rssiDbm: 0.1 }),
      (e) => ({ ...e, rssiDbm: -150.01 }),
      (e) => ({ ...e, headingDeg: 360 }),
      (e) => ({ ...e, headingDeg: -0.5 }),
      (e) => ({ ...e, bearingDeg: 360 }),
      (e) => ({ ...e, freqMHz: 0 }),
      (e) => ({ ...e, position: { lat: 90.01, lon: 5.29 } }),
      (e) => ({ ...e, position: { lat: 51.66, lon: -180.01 } }),
      (e) => ({ ...e, position: { lat: 51.66, lon: 5.29, accuracyM: -1 } }),
      (e) => ({ ...e, classification: { confidence: 1.01 } }),
      (e) => ({ ...e, remoteId: { uasId: '' } }),
      (e) => ({ ...e, phase: 'middle' }),
      (e) => ({ ...e, category: 'bird' }),
      (e) => withField(e, ['trackId'], undefined),
    ],
    gsm: [
      (e) => ({ ...e, rssiDbm: 0.5 }),
      (e) => ({ ...e, rssiDbm: -151 }),
      (e) => withField(e, ['rssiDbm'], undefined),
      (e) => ({ ...e, durationS: -0.01 }),
      (e) => ({ ...e, tech: '3g' }),
      (e) => ({ ...e, activity: 'voice' }),
      (e) => ({ ...e, zoneId: '' }),
    ],
    search: [
      (e) => ({ ...e, cellIds: [] }),
      (e) => ({ ...e, endedAt: iso(Date.parse(String(e.startedAt)) - 1) }),
      (e) => ({ ...e, findings: [{ category: 'phone', qty: 0, cellId: 'a-01' }] }),
      (e) => ({ ...e, findings: [{ category: 'knife', qty: 1, cellId: 'a-01' }] }),
      (e) => withField(e, ['findings'], undefined),
      (e) => ({ ...e, type: 'raid' }),
    ],
    roster: [
      (e) => withField({ ...e, action: 'admit' }, ['cellId'], undefined),
      (e) => withField({ ...e, action: 'move' }, ['cellId'], undefined),
      (e) => ({ ...e, action: 'transfer' }),
      (e) => ({ ...e, effectiveAt: String(e.effectiveAt).replace(/(Z|[+-]\d\d:\d\d)$/, '') }),
    ],
    heartbeat: [
      (e) => ({ ...e, intervalS: 0.99 }),
      (e) => ({ ...e, intervalS: 3600.01 }),
      (e) => ({ ...e, detail: 'x'.repeat(501) }),
      (e) => ({ ...e, status: 'dead' }),
    ],
  };

  it('schema: one field out of its bounds', () => {
    const broken = validEvent.chain((body) =>
      fc
        .constantFrom(...envelopeBreaks, ...kindBreaks[body.kind as SensorEventKind])
        .map((b) => [body, b(body)] as const),
    );
    fc.assert(
      fc.property(broken, ([body, bad]) => {
        expectReason(verdictOfBody(bad, subjectOf(body)), 'schema');
      }),
      { numRuns: 300 },
    );
  });

  it('subject: the subject names another site, kind or sensor, or is malformed', () => {
    const token = fc.stringMatching(TOKEN_PATTERN);
    const resubject = validEvent.chain((body) => {
      const parts = {
        siteId: body.siteId as string,
        kind: body.kind as SensorEventKind,
        sensorId: body.sensorId as string,
      };
      return fc
        .oneof(
          token.filter((t) => t !== parts.siteId).map((siteId) => sensorSubject({ ...parts, siteId })),
          fc
            .constantFrom(...SENSOR_EVENT_KINDS.filter((k) => k !== parts.kind))
            .map((kind) => sensorSubject({ ...parts, kind })),
          token.filter((t) => t !== parts.sensorId).map((sensorId) => sensorSubject({ ...parts, sensorId })),
          fc.constantFrom(
            sensorSubject(parts).replace('.v1.', '.v2.'),
            sensorSubject(parts).replace(/\.[^.]+$/, ''),
            `${sensorSubject(parts)}.extra`,
            sensorSubject({ ...parts, siteId: parts.siteId.toUpperCase() }),
            sensorSubject(parts).replace(/^sensors/, 'alerts'),
            `sensors.v1.${parts.siteId}.*.${parts.sensorId}`,
          ),
        )
        .map((subject) => [body, subject] as const);
    });
    fc.assert(
      fc.property(resubject, ([body, subject]) => {
        expectReason(verdictOfBody(body, subject), 'subject', body.eventId);
      }),
      { numRuns: 300 },
    );
  });

  it('site: an unknown site or an unlisted sensor, in both body and subject', () => {
    const token = fc.stringMatching(TOKEN_PATTERN);
    const readdressed: fc.Arbitrary<Body> = fc.oneof(
      fc
        .tuple(
          validEvent,
          token.filter((t) => t !== 'demo'),
        )
        .map(([body, siteId]) => ({ ...body, siteId })),
      fc
        .tuple(
          validEvent,
          token.filter((t) => !site.sensors.has(t)),
        )
        .map(([body, sensorId]) => ({ ...body, sensorId })),
    );
    fc.assert(
      fc.property(readdressed, (body) => {
        expectReason(verdictOfBody(body), 'site', body.eventId);
      }),
    );
  });

  it('zone: an unknown gsm zone, search cell, finding cell or roster cell', () => {
    const notAZone = fc.string({ minLength: 1, maxLength: 64 }).filter((s) => !site.zones.has(s));
    const notACell = fc.string({ minLength: 1, maxLength: 64 }).filter((s) => !site.wingOfCell.has(s));
    const misplaced: fc.Arbitrary<Body> = fc.oneof(
      fc.tuple(validEventOf('gsm'), notAZone).map(([body, zoneId]) => ({ ...body, zoneId })),
      fc
        .tuple(validEventOf('search'), notACell, fc.nat())
        .map(([body, bad, n]) => withField(body, ['cellIds', n % (body.cellIds as string[]).length], bad)),
      fc.tuple(validEventOf('search'), notACell, fc.nat()).map(([body, bad, n]) => {
        const findings = body.findings as Body[];
        if (findings.length === 0) return { ...body, findings: [{ category: 'sim', qty: 1, cellId: bad }] };
        return withField(body, ['findings', n % findings.length, 'cellId'], bad);
      }),
      // Any cell a roster event names is checked, a release's included.
      fc.tuple(validEventOf('roster'), notACell).map(([body, cellId]) => ({ ...body, cellId })),
    );
    fc.assert(
      fc.property(misplaced, (body) => {
        expectReason(verdictOfBody(body), 'zone', body.eventId);
      }),
      { numRuns: 300 },
    );
  });

  it('clock: observedAt beyond 5 minutes ahead or older than the retention', () => {
    const year = 365 * 86_400_000;
    const outOfWindow = fc.oneof(
      fc.integer({ min: 1, max: year }).map((d) => NOW + MAX_CLOCK_AHEAD_MS + d),
      fc.integer({ min: 1, max: 20 * year }).map((d) => NOW - DEFAULT_RETENTION_MS - d),
    );
    fc.assert(
      fc.property(validEvent, outOfWindow, (body, ms) => {
        expectReason(verdictOfBody({ ...body, observedAt: iso(ms) }), 'clock', body.eventId);
      }),
    );
  });

  it('size: padded beyond 64 KiB', () => {
    const padding = fc.oneof(
      fc.constant(' '),
      fc.constant('\n'),
      // Padding inside a string field breaks its bounds too, but size is decided first.
      fc.constant('detail'),
    );
    fc.assert(
      fc.property(validEvent, fc.integer({ min: 1, max: 8192 }), padding, (body, over, how) => {
        const target = MAX_EVENT_BYTES + over;
        let data: Uint8Array;
        if (how === 'detail') {
          const json = JSON.stringify({ ...body, detail: '' });
          data = bytes(
            json.replace('"detail":""', `"detail":"${'x'.repeat(target - bytes(json).byteLength)}"`),
          );
        } else {
          const json = JSON.stringify(body);
          data = bytes(json + how.repeat(target - bytes(json).byteLength));
        }
        expect(data.byteLength).toBe(target);
        expectReason(verdictOf(subjectOf(body), data), 'size');
      }),
      { numRuns: 50 },
    );
  });
});
