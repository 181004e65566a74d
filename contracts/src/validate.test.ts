import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES, SENSOR_EVENT_KINDS } from './sensor-event';
import {
  NOW,
  bytes,
  demoContext,
  encode,
  sampleEvent,
  subjectOf,
  withField,
  type Body,
} from './test-support';
import {
  DEFAULT_RETENTION_MS,
  MAX_CLOCK_AHEAD_MS,
  REJECT_REASONS,
  validateSensorMessage,
  type RejectReason,
  type ValidationContext,
} from './validate';

const ctx = demoContext();
const iso = (ms: number) => new Date(ms).toISOString();
const gsm = sampleEvent('gsm');
const search = sampleEvent('search');
const roster = sampleEvent('roster');

/** A message as it arrives: a subject and the raw bytes. */
interface Message {
  label: string;
  subject: string;
  data: Uint8Array;
  ctx?: ValidationContext;
}

const message = (label: string, body: Body, subject = subjectOf(body)): Message => ({
  label,
  subject,
  data: encode(body),
});
/** The body re-addressed in both body and subject, so only the site check can object. */
const readdressed = (label: string, body: Body, fields: Partial<Record<'siteId' | 'sensorId', string>>) =>
  message(label, { ...body, ...fields });
/** The JSON text of `body` padded with trailing whitespace (still valid JSON) to exactly `size` bytes. */
function padded(body: Body, size: number): Uint8Array {
  const text = JSON.stringify(body);
  return bytes(text + ' '.repeat(size - Buffer.byteLength(text)));
}

function expectRejected(m: Message, reason: RejectReason) {
  const verdict = validateSensorMessage(m.subject, m.data, m.ctx ?? ctx);
  expect(verdict).toMatchObject({ ok: false, reason });
  if (!verdict.ok) expect(verdict.detail).not.toBe('');
  return verdict;
}

describe('accepted messages', () => {
  it.each([...SENSOR_EVENT_KINDS])('a valid %s event is accepted with its defaults applied', (kind) => {
    const body = withField(sampleEvent(kind), ['exercise'], undefined);
    const verdict = validateSensorMessage(subjectOf(body), encode(body), ctx);
    expect(verdict).toMatchObject({ ok: true, event: { ...body, exercise: false } });
  });

  it.each([
    { label: 'a gsm burst in a cell zone that the file leaves out', body: { ...gsm, zoneId: 'a-40' } },
    { label: 'a gsm burst in a yard', body: { ...gsm, sensorId: 'gsm-yard-1', zoneId: 'yard-1' } },
    { label: 'a gsm burst in a corridor', body: { ...gsm, zoneId: 'a-corridor' } },
    // The zone need only be a zone of the site, not one the reporting sensor covers.
    { label: 'a gsm burst in a zone of another wing', body: { ...gsm, zoneId: 'e-common' } },
    {
      label: 'a release without a cell',
      body: withField({ ...roster, action: 'release' }, ['cellId'], undefined),
    },
    { label: 'a search with no findings', body: { ...search, findings: [] } },
    {
      label: 'a heartbeat from any listed sensor',
      body: { ...sampleEvent('heartbeat'), sensorId: 'gsm-e-3' },
    },
    { label: 'an exercise event', body: { ...sampleEvent('drone'), exercise: true } },
    { label: 'unknown extra fields', body: { ...gsm, vendor: { fw: '1.2' } } },
  ])('accepts $label', ({ body }) => {
    expect(validateSensorMessage(subjectOf(body), encode(body), ctx)).toMatchObject({ ok: true });
  });
});

describe('reject reasons', () => {
  it('has exactly the seven reasons of the contract', () => {
    expect([...REJECT_REASONS].sort()).toEqual([
      'clock',
      'json',
      'schema',
      'site',
      'size',
      'subject',
      'zone',
    ]);
  });

  const subject = subjectOf(gsm);
  const text = JSON.stringify(gsm);
  const table: { reason: RejectReason; messages: Message[] }[] = [
    {
      reason: 'json',
      messages: [
        { label: 'plain text', subject, data: bytes('gsm burst in a-03') },
        { label: 'an empty message', subject, data: new Uint8Array() },
        { label: 'truncated JSON', subject, data: bytes(text.slice(0, -1)) },
        { label: 'JSON with a trailing comma', subject, data: bytes(text.replace(/}$/, ',}')) },
        { label: 'two JSON objects', subject, data: bytes(text + text) },
        { label: 'a lone invalid UTF-8 byte', subject, data: Uint8Array.of(0xff) },
        {
          label: 'valid JSON text with an invalid UTF-8 sequence inside a string',
          subject,
          data: bytes(text.replace('dk-7f3a', 'dk-\u0000')).map((b) => (b === 0 ? 0xc3 : b)),
        },
        { label: 'UTF-16 text', subject, data: new Uint8Array(Buffer.from(text, 'utf16le')) },
      ],
    },
    {
      reason: 'schema',
      messages: [
        { label: 'JSON null', subject, data: bytes('null') },
        { label: 'a JSON array', subject, data: bytes(`[${text}]`) },
        { label: 'a JSON string', subject, data: bytes('"gsm"') },
        { label: 'an empty object', subject, data: bytes('{}') },
        message('v 2', { ...gsm, v: 2 }),
        message('an unknown kind', { ...gsm, kind: 'wifi' }, subject),
        message('rssiDbm 0.1', { ...gsm, rssiDbm: 0.1 }),
        message('a missing zoneId', withField(gsm, ['zoneId'], undefined)),
        message('observedAt without milliseconds', { ...gsm, observedAt: '2026-03-01T12:00:00Z' }),
        message('a search that ends a microsecond before it starts', {
          ...search,
          startedAt: '2026-03-01T11:00:00.000001Z',
          endedAt: '2026-03-01T11:00:00Z',
        }),
        // Field checks run before the subject is compared, so a malformed site id is a schema problem.
        message('a malformed siteId in the body', { ...gsm, siteId: 'Demo' }, subject),
      ],
    },
    {
      reason: 'subject',
      messages: [
        message('a subject with four tokens', gsm, 'sensors.v1.demo.gsm'),
        message('a subject with six tokens', gsm, `${subject}.x`),
        message('a v2 subject', gsm, 'sensors.v2.demo.gsm.gsm-a-1'),
        message('an alerts subject', gsm, 'alerts.v1.demo.gsm.gsm-a-1'),
        message('an empty subject', gsm, ''),
        message('a subject with an empty site token', gsm, 'sensors.v1..gsm.gsm-a-1'),
        message('a subject with a capital in the site', gsm, 'sensors.v1.Demo.gsm.gsm-a-1'),
        message('a subject with an unknown kind', gsm, 'sensors.v1.demo.wifi.gsm-a-1'),
        message('a subject with an underscore in the sensor', gsm, 'sensors.v1.demo.gsm.gsm_a_1'),
        message('a subject siteId other than the body', gsm, 'sensors.v1.pi-vught.gsm.gsm-a-1'),
        message('a subject kind other than the body', gsm, 'sensors.v1.demo.drone.gsm-a-1'),
        // gsm-a-2 is a listed sensor: the disagreement alone is the reason.
        message('a subject sensorId other than the body', gsm, 'sensors.v1.demo.gsm.gsm-a-2'),
      ],
    },
    {
      reason: 'site',
      messages: [
        readdressed('an unknown site in body and subject', gsm, { siteId: 'pi-elsewhere' }),
        readdressed('an unlisted sensor in body and subject', gsm, { sensorId: 'gsm-z-9' }),
        readdressed('an unlisted heartbeat sensor', sampleEvent('heartbeat'), { sensorId: 'radar-9' }),
        { ...message('any site when the context knows none', gsm), ctx: { ...ctx, sites: new Map() } },
      ],
    },
    {
      reason: 'zone',
      messages: [
        message('an unknown gsm zone', { ...gsm, zoneId: 'z-99' }),
        message('a gsm zone that differs in case', { ...gsm, zoneId: 'A-03' }),
        message('an unknown search cell', { ...search, cellIds: ['b-05', 'x-01'] }),
        message('a search "cell" that is a corridor', { ...search, cellIds: ['b-corridor'] }),
        message('an unknown finding cell', withField(search, ['findings', 0, 'cellId'], 'b-41')),
        message('an unknown roster cell', { ...roster, cellId: 'c-13' }),
        message('an unknown cell on an admit', { ...roster, action: 'admit', cellId: 'yard-1' }),
        message('an unknown cell on a release', { ...roster, action: 'release', cellId: 'nowhere' }),
      ],
    },
    {
      reason: 'clock',
      messages: [
        message('observedAt 5 minutes and 1 ms ahead', {
          ...gsm,
          observedAt: iso(NOW + MAX_CLOCK_AHEAD_MS + 1),
        }),
        message('observedAt a day ahead', { ...gsm, observedAt: iso(NOW + 86_400_000) }),
        message('observedAt 1 ms older than retention', {
          ...gsm,
          observedAt: iso(NOW - DEFAULT_RETENTION_MS - 1),
        }),
        message('observedAt in 2001', { ...gsm, observedAt: '2001-01-01T00:00:00.000Z' }),
      ],
    },
    {
      reason: 'size',
      messages: [
        { label: 'a valid event padded to 64 KiB + 1 byte', subject, data: padded(gsm, MAX_EVENT_BYTES + 1) },
        { label: 'a megabyte', subject, data: padded(gsm, 1 << 20) },
        // Size is checked first: an oversized message is not even decoded.
        {
          label: '64 KiB + 1 of invalid UTF-8',
          subject,
          data: new Uint8Array(MAX_EVENT_BYTES + 1).fill(0xff),
        },
      ],
    },
  ];

  describe.each(table)('$reason', ({ reason, messages }) => {
    it.each(messages)('rejects $label', (m) => {
      expectRejected(m, reason);
    });
  });

  it('names the event of a message rejected after its fields were read', () => {
    for (const { reason, messages } of table) {
      if (reason === 'json' || reason === 'size') continue;
      for (const m of messages) {
        const verdict = validateSensorMessage(m.subject, m.data, m.ctx ?? ctx);
        const body = (() => {
          try {
            return JSON.parse(new TextDecoder().decode(m.data)) as { eventId?: unknown } | null;
          } catch {
            return null;
          }
        })();
        if (typeof body?.eventId === 'string') expect(verdict).toMatchObject({ eventId: body.eventId });
      }
    }
  });
});

describe('clock edges', () => {
  const at = (ms: number, context: ValidationContext = ctx) =>
    validateSensorMessage(subjectOf(gsm), encode({ ...gsm, observedAt: iso(ms) }), context);

  it.each([
    { label: 'now', ms: NOW, ok: true },
    { label: 'exactly 5 minutes ahead', ms: NOW + MAX_CLOCK_AHEAD_MS, ok: true },
    { label: '5 minutes and 1 ms ahead', ms: NOW + MAX_CLOCK_AHEAD_MS + 1, ok: false },
    { label: 'exactly the retention old', ms: NOW - DEFAULT_RETENTION_MS, ok: true },
    { label: 'the retention and 1 ms old', ms: NOW - DEFAULT_RETENTION_MS - 1, ok: false },
    { label: 'a day late', ms: NOW - 86_400_000, ok: true },
  ])('observedAt $label: accepted $ok', ({ ms, ok }) => {
    expect(at(ms)).toMatchObject(ok ? { ok } : { ok, reason: 'clock' });
  });

  it('uses 5 minutes and a 7 day default retention', () => {
    expect(MAX_CLOCK_AHEAD_MS).toBe(300_000);
    expect(DEFAULT_RETENTION_MS).toBe(7 * 24 * 3_600_000);
  });

  it.each([
    { retentionMs: 3_600_000, age: 3_600_000, ok: true },
    { retentionMs: 3_600_000, age: 3_600_001, ok: false },
    { retentionMs: 30 * 86_400_000, age: 29 * 86_400_000, ok: true },
    { retentionMs: 30 * 86_400_000, age: 30 * 86_400_000 + 1, ok: false },
  ])(
    'with a retention of $retentionMs ms, an observation $age ms old: accepted $ok',
    ({ retentionMs, age, ok }) => {
      expect(at(NOW - age, demoContext({ retentionMs }))).toMatchObject(
        ok ? { ok } : { ok, reason: 'clock' },
      );
    },
  );

  it('judges against the context clock, not the machine clock', () => {
    const later = NOW + 365 * 86_400_000;
    expect(at(later, demoContext({ now: later }))).toMatchObject({ ok: true });
    expect(at(later)).toMatchObject({ ok: false, reason: 'clock' });
  });

  it('does not judge effectiveAt or search times by the clock', () => {
    const lateCorrection = { ...roster, effectiveAt: '2020-01-01T00:00:00Z' };
    expect(validateSensorMessage(subjectOf(roster), encode(lateCorrection), ctx)).toMatchObject({ ok: true });
  });
});

describe('size edges', () => {
  it.each<[string, number, boolean]>([
    ['exactly 64 KiB', MAX_EVENT_BYTES, true],
    ['64 KiB - 1', MAX_EVENT_BYTES - 1, true],
    ['64 KiB + 1', MAX_EVENT_BYTES + 1, false],
  ])('a valid event of %s: accepted %s', (_label, size, ok) => {
    const data = padded(gsm, size);
    expect(data.byteLength).toBe(size);
    expect(validateSensorMessage(subjectOf(gsm), data, ctx)).toMatchObject(
      ok ? { ok } : { ok, reason: 'size' },
    );
  });

  it('counts bytes, not characters', () => {
    // 500 two-byte characters in detail: under the character limit, and the byte count decides the size.
    const heartbeat = { ...sampleEvent('heartbeat'), detail: 'é'.repeat(500) };
    const text = JSON.stringify(heartbeat);
    const pad = MAX_EVENT_BYTES - Buffer.byteLength(text) + 1;
    expect(text.length + pad).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    const data = bytes(text + ' '.repeat(pad));
    expect(validateSensorMessage(subjectOf(heartbeat), data, ctx)).toMatchObject({
      ok: false,
      reason: 'size',
    });
  });
});

describe('one reason when several apply', () => {
  it.each<{ label: string; m: Message; reason: RejectReason }>([
    {
      label: 'oversized and not JSON',
      m: { label: '', subject: 'x', data: new Uint8Array(MAX_EVENT_BYTES + 1) },
      reason: 'size',
    },
    {
      label: 'not JSON and a malformed subject',
      m: { label: '', subject: 'x', data: bytes('{') },
      reason: 'json',
    },
    {
      label: 'bad fields and a malformed subject',
      m: message('', { ...gsm, rssiDbm: 1 }, 'x'),
      reason: 'schema',
    },
    {
      label: 'a subject mismatch and an unknown zone',
      m: message('', { ...gsm, zoneId: 'nope' }, 'sensors.v1.demo.gsm.gsm-a-2'),
      reason: 'subject',
    },
    {
      label: 'an unknown site and a bad clock',
      m: readdressed('', { ...gsm, observedAt: iso(NOW + 3_600_000) }, { siteId: 'elsewhere' }),
      reason: 'site',
    },
    {
      label: 'an unknown zone and a bad clock',
      m: message('', { ...gsm, zoneId: 'nope', observedAt: iso(NOW + 3_600_000) }),
      reason: 'zone',
    },
  ])('$label gives $reason', ({ m, reason }) => {
    expectRejected(m, reason);
  });
});
