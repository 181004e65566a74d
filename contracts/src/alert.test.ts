import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_STATUSES, Alert, SEVERITIES } from './alert';
import { EVENT_ID_PATTERN, TOKEN_PATTERN } from './sensor-event';
import { ALERT_SUBJECTS, alertSubject } from './subjects';
import { expectVerdict, named, NOW_ISO, rows, withField, type Body, type Row } from './test-support';

/** An alert as CONTRACT.md section 3 writes it, with every field. */
const sample = (): Body => ({
  v: 1,
  alertId: 'al-01HZX3Q8K2V7M4N5P6R7S8T9UA',
  rev: 3,
  rule: 'contraband-delivery',
  severity: 'high',
  status: 'acknowledged',
  siteId: 'demo',
  wingId: 'b',
  cellIds: ['b-05', 'b-06'],
  detaineeIds: ['det-0001'],
  sensorIds: ['radar-1', 'gsm-b-1'],
  title: 'Drone drop over yard 1, phone in b-05',
  summary: 'A drone hovered over yard 1; a phone was found in b-05 within the hour.',
  firstEventAt: '2026-03-01T10:40:00.000Z',
  lastEventAt: '2026-03-01T11:20:00.000Z',
  count: 4,
  evidence: ['01HZXDRONE0000000000000', '01HZXSEARCH0000000000000'],
  openedAt: '2026-03-01T10:41:00.000Z',
  updatedAt: NOW_ISO,
  exercise: false,
});

describe('the alert format', () => {
  it('accepts the sample, and a site-wide alert without a wing', () => {
    expect(Alert.safeParse(sample()).error?.issues).toBeUndefined();
    expect(Alert.safeParse(withField(sample(), ['wingId'], undefined)).success).toBe(true);
  });

  const table: Row[] = [
    ...rows(['v'], [1], [2, 0, '1', undefined]),
    ...rows(['alertId'], ['a', 'x'.repeat(128)], ['', 'x'.repeat(129), 7, undefined]),
    ...rows(['rev'], [1, 2, 1_000_000], [0, -1, 1.5, '2', undefined]),
    ...rows(['rule'], ['drone-drop', 'sensor-offline'], ['', 3, undefined]),
    ...rows(['severity'], [...SEVERITIES], ['warning', 'HIGH', '', undefined]),
    ...rows(['status'], [...ALERT_STATUSES], ['closed', 'ack', 'Open', undefined]),
    ...rows(['siteId'], ['demo', 'pi-vught-2'], ['', 'Demo', 'de.mo', undefined]),
    ...rows(['wingId'], ['a', 'ebi-1', undefined], [3, null]),
    ...rows(['cellIds'], [[], ['b-05', 'B1.23']], [undefined, 'b-05', [5]]),
    ...rows(['detaineeIds'], [[], ['det-1']], [undefined, 'det-1']),
    ...rows(['sensorIds'], [[], ['radar-1']], [undefined, 'radar-1']),
    ...rows(['title'], ['', 'Drone over wing A'], [undefined, 4]),
    ...rows(['summary'], ['', 'text'], [undefined, null]),
    ...rows(
      ['firstEventAt'],
      ['2026-03-01T10:40:00.000Z', '2026-03-01T10:40:00Z', '2026-03-01T11:40:00+01:00'],
      ['2026-03-01T10:40:00', '2026-03-01', 1772361600000, undefined],
    ),
    ...rows(['lastEventAt'], ['2026-03-01T11:20:00.000Z'], ['yesterday', undefined]),
    ...rows(['count'], [1, 250], [0, -1, 2.5, undefined]),
    ...rows(
      ['evidence'],
      [[], ['01HZX', 'b5f1d8a4-1c2e-4f5a-9b7d-3e2c1a0f9e8d']],
      [undefined, 'e1', [''], ['a.b'], ['x'.repeat(65)]],
    ),
    ...rows(['openedAt'], ['2026-03-01T10:41:00.000Z'], ['', undefined]),
    ...rows(['updatedAt'], [NOW_ISO], ['now', undefined]),
    ...rows(['exercise'], [true, false], [undefined, 'false', 0]),
  ];

  it.each(named(table))('%s', (_label, row) =>
    expectVerdict(Alert.safeParse(withField(sample(), row.path, row.value)), row),
  );

  it('has exactly the severities and statuses of the contract', () => {
    expect([...SEVERITIES]).toEqual(['info', 'low', 'medium', 'high', 'critical']);
    expect([...ALERT_STATUSES]).toEqual(['open', 'acknowledged', 'resolved']);
  });

  it('keeps exercise as sent: it has no default', () => {
    expect(Alert.parse({ ...sample(), exercise: true }).exercise).toBe(true);
  });
});

/** Every field of the contract's alert but `wingId?`. */
const REQUIRED = [
  'v',
  'alertId',
  'rev',
  'rule',
  'severity',
  'status',
  'siteId',
  'cellIds',
  'detaineeIds',
  'sensorIds',
  'title',
  'summary',
  'firstEventAt',
  'lastEventAt',
  'count',
  'evidence',
  'openedAt',
  'updatedAt',
  'exercise',
] as const;

describe('alert properties', () => {
  const token = fc.stringMatching(TOKEN_PATTERN);
  const instant = fc
    .integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') })
    .map((ms) => new Date(ms).toISOString());
  const alertArb = fc.record(
    {
      v: fc.constant(1),
      alertId: fc.string({ minLength: 1, maxLength: 128 }),
      rev: fc.integer({ min: 1, max: 2 ** 31 }),
      rule: fc.string({ minLength: 1, maxLength: 64 }),
      severity: fc.constantFrom(...SEVERITIES),
      status: fc.constantFrom(...ALERT_STATUSES),
      siteId: token,
      wingId: token,
      cellIds: fc.array(fc.string({ maxLength: 64 }), { maxLength: 4 }),
      detaineeIds: fc.array(fc.string({ maxLength: 64 }), { maxLength: 4 }),
      sensorIds: fc.array(token, { maxLength: 4 }),
      title: fc.string({ maxLength: 200 }),
      summary: fc.string({ maxLength: 500 }),
      firstEventAt: instant,
      lastEventAt: instant,
      count: fc.integer({ min: 1, max: 1e6 }),
      evidence: fc.array(fc.stringMatching(EVENT_ID_PATTERN), { maxLength: 8 }),
      openedAt: instant,
      updatedAt: instant,
      exercise: fc.boolean(),
    },
    { requiredKeys: [...REQUIRED] },
  );

  it('accepts every well-formed alert and keeps it as sent, through JSON', () => {
    fc.assert(
      fc.property(alertArb, (alert) => {
        expect(Alert.parse(JSON.parse(JSON.stringify(alert)))).toEqual(alert);
      }),
    );
  });

  it('rejects an alert missing any field but wingId, naming that field', () => {
    fc.assert(
      fc.property(alertArb, fc.constantFrom(...REQUIRED), (alert, field) => {
        const result = Alert.safeParse(withField(alert, [field], undefined));
        expect(result.success).toBe(false);
        expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual([field]);
      }),
    );
  });

  it('publishes on alerts.v1.<siteId>.<wingId or "site">, inside the ALERTS stream subjects', () => {
    fc.assert(
      fc.property(token, fc.option(token, { nil: undefined }), (siteId, wingId) => {
        const subject = alertSubject(siteId, wingId);
        expect(subject.split('.')).toEqual(['alerts', 'v1', siteId, wingId ?? 'site']);
        expect(subject.startsWith(ALERT_SUBJECTS.slice(0, -1))).toBe(true);
      }),
    );
  });
});
