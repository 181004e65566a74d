import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SENSOR_EVENT_KINDS, TOKEN_PATTERN } from './sensor-event';
import {
  ALERTS_STREAM,
  ALERT_SUBJECTS,
  DETECTORS_CONSUMER,
  INGEST_CONSUMER,
  SENSORS_STREAM,
  SENSOR_SUBJECTS,
  alertSubject,
  parseSensorSubject,
  sensorSubject,
  type SensorSubject,
} from './subjects';

const tokenArb = fc.stringMatching(TOKEN_PATTERN);
const sensorSubjectArb: fc.Arbitrary<SensorSubject> = fc.record({
  siteId: tokenArb,
  kind: fc.constantFrom(...SENSOR_EVENT_KINDS),
  sensorId: tokenArb,
});

describe('stream and subject names', () => {
  it('match the contract', () => {
    expect({ SENSORS_STREAM, ALERTS_STREAM, SENSOR_SUBJECTS, ALERT_SUBJECTS }).toEqual({
      SENSORS_STREAM: 'SENSORS',
      ALERTS_STREAM: 'ALERTS',
      SENSOR_SUBJECTS: 'sensors.v1.>',
      ALERT_SUBJECTS: 'alerts.v1.>',
    });
    expect([INGEST_CONSUMER, DETECTORS_CONSUMER]).toEqual(['ingest', 'detectors']);
  });
});

describe('sensor subjects', () => {
  it.each([
    [{ siteId: 'demo', kind: 'gsm', sensorId: 'gsm-a-1' }, 'sensors.v1.demo.gsm.gsm-a-1'],
    [{ siteId: 'pi-vught', kind: 'drone', sensorId: 'radar-1' }, 'sensors.v1.pi-vught.drone.radar-1'],
    [{ siteId: '0', kind: 'heartbeat', sensorId: '9' }, 'sensors.v1.0.heartbeat.9'],
  ] as const)('%o is %s and back', (parts, subject) => {
    expect(sensorSubject(parts)).toBe(subject);
    expect(parseSensorSubject(subject)).toEqual({ ok: true, value: parts });
  });

  it('round-trips every well-formed subject', () => {
    fc.assert(
      fc.property(sensorSubjectArb, (parts) => {
        const subject = sensorSubject(parts);
        expect(subject.split('.')).toHaveLength(5);
        expect(parseSensorSubject(subject)).toEqual({ ok: true, value: parts });
      }),
    );
  });

  it('builds back exactly any subject it parses', () => {
    const nearSubject = fc
      .tuple(
        fc.constantFrom('sensors', 'alerts', 'Sensors'),
        fc.constantFrom('v1', 'v2', ''),
        fc.oneof(tokenArb, fc.string({ maxLength: 8 })),
        fc.oneof(fc.constantFrom(...SENSOR_EVENT_KINDS), fc.string({ maxLength: 8 })),
        fc.oneof(tokenArb, fc.string({ maxLength: 8 })),
      )
      .map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.oneof(nearSubject, fc.string()), (subject) => {
        const parsed = parseSensorSubject(subject);
        if (parsed.ok) expect(sensorSubject(parsed.value)).toBe(subject);
        else expect(parsed.error).toContain('subject');
      }),
    );
  });

  it.each([
    ['', 'is not sensors.v1'],
    ['sensors.v1.demo.gsm', 'is not sensors.v1'],
    ['sensors.v1.demo.gsm.gsm-a-1.extra', 'is not sensors.v1'],
    ['sensors.v2.demo.gsm.gsm-a-1', 'is not sensors.v1'],
    ['alerts.v1.demo.gsm.gsm-a-1', 'is not sensors.v1'],
    ['sensors.v1.*.gsm.gsm-a-1', 'siteId "*" is malformed'],
    ['sensors.v1.-demo.gsm.gsm-a-1', 'siteId "-demo" is malformed'],
    [`sensors.v1.${'a'.repeat(64)}.gsm.x`, 'is malformed'],
    ['sensors.v1.demo.GSM.gsm-a-1', 'kind "GSM" is not one of drone, gsm, search, roster, heartbeat'],
    ['sensors.v1.demo.alert.gsm-a-1', 'kind "alert" is not one of'],
    ['sensors.v1.demo.gsm.>', 'sensorId ">" is malformed'],
    ['sensors.v1.demo.gsm.', 'sensorId "" is malformed'],
  ])('rejects %j: %s', (subject, error) => {
    const parsed = parseSensorSubject(subject);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});

describe('alert subjects', () => {
  it.each([
    ['demo', 'a', 'alerts.v1.demo.a'],
    ['demo', undefined, 'alerts.v1.demo.site'],
    ['pi-vught', 'ebi-1', 'alerts.v1.pi-vught.ebi-1'],
  ])('site %s, wing %s: %s', (siteId, wingId, subject) => {
    expect(alertSubject(siteId, wingId)).toBe(subject);
    expect(subject.startsWith(ALERT_SUBJECTS.slice(0, -1))).toBe(true);
  });
});
