import { describe, expect, it } from 'vitest';
import type { SensorEvent } from '@wachtpost/contracts';
import { asExercise, gsm, harness, heartbeat } from '../testing/fixtures';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** Heartbeats of one sensor every `every` seconds over [from, to], announcing that interval. */
function beats(
  sensorId: string,
  from: number,
  to: number,
  every: number,
  status: 'ok' | 'fault' = 'ok',
): SensorEvent[] {
  const out: SensorEvent[] = [];
  for (let s = from; s <= to; s += every)
    out.push(heartbeat(`${sensorId}-${s}`, at(s), sensorId, status, { intervalS: every }));
  return out;
}
const byTime = (events: SensorEvent[]) =>
  events.sort((a, b) => a.observedAt.localeCompare(b.observedAt) || a.eventId.localeCompare(b.eventId));

describe('sensor-offline', () => {
  it.each([
    // gsm-a beats every 30 s until t=60; missing 3 intervals makes it offline at t=150. The newest time seen
    // (radar-1) minus the 2-minute lateness must pass 150 s.
    { name: 'others reach 270 s: exactly at the boundary, not yet', othersUntil: 270, offline: false },
    { name: 'others reach 280 s', othersUntil: 280, offline: true },
  ])('$name', ({ othersUntil, offline }) => {
    const run = harness();
    run.run(byTime([...beats('gsm-a', 0, 60, 30), ...beats('radar-1', 0, othersUntil, 10)]), {
      heartbeatEveryMin: 0,
    });
    const alerts = run.alerts('sensor-offline');
    expect(alerts).toHaveLength(offline ? 1 : 0);
    if (offline) {
      expect(alerts[0]).toMatchObject({
        alertId: 'pi-test:sensor-offline:gsm-a',
        severity: 'high',
        status: 'open',
        sensorIds: ['gsm-a'],
        cellIds: ['a-01', 'a-02', 'a-03'],
        wingId: 'a',
        openedAt: at(150),
        lastEventAt: at(60),
        evidence: ['gsm-a-60'],
      });
    }
  });

  it('resolves itself when the sensor returns', () => {
    const run = harness();
    run.run(
      byTime([
        ...beats('gsm-a', 0, 60, 30),
        ...beats('radar-1', 0, 400, 10),
        ...beats('gsm-a', 390, 400, 30),
      ]),
      {
        heartbeatEveryMin: 0,
      },
    );
    const changes = run.changesOf('sensor-offline');
    expect(changes.map((c) => c.change)).toEqual(['opened', 'resolved']);
    expect(changes[1]).toMatchObject({
      outcome: { result: 'auto' },
      alert: { status: 'resolved', updatedAt: at(390) },
    });
  });

  it('a fault heartbeat raises at once; the next ok heartbeat resolves it', () => {
    const run = harness();
    const first = run.run([heartbeat('f1', at(0), 'rf-1', 'fault', { detail: 'antenna 2 down' })], {
      heartbeatEveryMin: 0,
      flush: false,
    });
    expect(first).toHaveLength(1);
    expect(first[0]!.alert).toMatchObject({ title: 'Sensor rf-1 reports a fault', evidence: ['f1'] });
    expect(first[0]!.alert.summary).toContain('antenna 2 down');
    run.run([heartbeat('ok1', at(30), 'rf-1', 'ok')], { heartbeatEveryMin: 0 });
    expect(run.alerts('sensor-offline')[0]!.status).toBe('resolved');
  });

  it('an older fault heartbeat arriving after a newer ok one changes nothing', () => {
    const run = harness();
    run.run([heartbeat('ok1', at(30), 'rf-1', 'ok'), heartbeat('f1', at(0), 'rf-1', 'fault')], {
      heartbeatEveryMin: 0,
    });
    expect(run.alerts('sensor-offline')).toHaveLength(0);
  });

  it('damps a flapping sensor: after 3 opens in an hour it stays open until quiet for an hour', () => {
    const run = harness();
    const events: SensorEvent[] = [...beats('radar-1', 0, 3 * 3600, 10)];
    // gsm-a: alive 60 s, silent 300 s (long enough to be declared offline), ten times, then steady.
    for (let cycle = 0; cycle < 10; cycle++)
      events.push(...beats('gsm-a', cycle * 360, cycle * 360 + 60, 30));
    events.push(...beats('gsm-a', 10 * 360, 3 * 3600, 30));
    run.run(byTime(events), { heartbeatEveryMin: 0 });
    const changes = run.changesOf('sensor-offline');
    expect(changes.map((c) => c.change).slice(0, 5)).toEqual([
      'opened',
      'resolved',
      'reopened',
      'resolved',
      'reopened',
    ]);
    expect(changes.at(-1)).toMatchObject({ change: 'resolved', alert: { status: 'resolved' } });
    // Ten outages, but fewer changes than the 20 an undamped alert would make, and one alert id throughout.
    expect(changes.length).toBeLessThan(14);
    expect(new Set(changes.map((c) => c.alert.alertId)).size).toBe(1);
    expect(
      changes.find((c) => c.change === 'reopened' && c.alert.summary.includes('Flapping')),
    ).toBeDefined();
  });

  it('the runtime clock catches a site gone silent; exercise lanes run on event time only', () => {
    const run = harness();
    run.run([heartbeat('live', at(0), 'gsm-a'), asExercise(heartbeat('drill', at(0), 'gsm-b'))], {
      heartbeatEveryMin: 0,
    });
    const { changes } = run.engine.advance(run.state, 'pi-test', at(4 * 3600));
    expect(changes.map((c) => [c.alert.alertId, c.change])).toEqual([
      ['pi-test:sensor-offline:gsm-a', 'opened'],
    ]);
  });

  it('a sensor that never reports is caught once the runtime expects it', () => {
    const run = harness();
    run.engine.expectSensors(run.state, 'pi-test', at(0));
    const { changes } = run.engine.advance(run.state, 'pi-test', at(3 * 3600 + 121));
    expect(changes).toHaveLength(7);
    expect(changes[0]!.alert).toMatchObject({ count: 1, evidence: [], openedAt: at(3 * 3600) });
    expect(changes[0]!.alert.summary).toContain('it was expected');
  });

  it('a gateway back after a network outage that sends what it buffered first is back once, not flapping', () => {
    // gsm-b (30 s heartbeats) loses its link at t=600 for 30 minutes, noticing a phone every 3 minutes;
    // at t=2400 it forwards the 10 buffered detections, oldest first, and beats again.
    const buffered = Array.from({ length: 10 }, (_, i) => gsm(`g${i}`, at(600 + 180 * (i + 1) - 90), 'b-01'));
    const before = byTime([...beats('gsm-b', 0, 600, 30), ...beats('radar-1', 0, 2400, 10)]);
    const after = byTime([...beats('gsm-b', 2400, 3600, 30), ...beats('radar-1', 2410, 3600, 10)]);
    const run = harness();
    run.run([...before, ...buffered, ...after], { heartbeatEveryMin: 0 });
    expect(run.changesOf('sensor-offline').map((c) => [c.change, c.alert.alertId])).toEqual([
      ['opened', 'pi-test:sensor-offline:gsm-b'],
      ['resolved', 'pi-test:sensor-offline:gsm-b'],
    ]);
  });

  it('a fault that lasts 40 minutes is one alert opened and resolved, not a revision per heartbeat', () => {
    const run = harness();
    const faulty = (s: number) => (s >= 600 && s < 3000 ? 'fault' : 'ok');
    const events = Array.from({ length: 121 }, (_, i) =>
      heartbeat(`f${i}`, at(i * 30), 'gsm-a', faulty(i * 30), { intervalS: 30 }),
    );
    run.run(byTime([...events, ...beats('radar-1', 0, 3600, 30)]), { heartbeatEveryMin: 0 });
    expect(run.changesOf('sensor-offline').map((c) => c.change)).toEqual(['opened', 'resolved']);
  });

  it('an operator who closes a sensor that is still faulty sees it again at its next heartbeat', () => {
    const run = harness();
    run.run(byTime([...beats('gsm-a', 0, 60, 30, 'fault'), ...beats('radar-1', 0, 60, 30)]), {
      heartbeatEveryMin: 0,
    });
    run.engine.command(run.state, { action: 'resolve', alertId: 'pi-test:sensor-offline:gsm-a', at: at(70) });
    run.run(byTime([...beats('gsm-a', 90, 90, 30, 'fault'), ...beats('radar-1', 90, 90, 30)]), {
      heartbeatEveryMin: 0,
    });
    expect(run.alerts('sensor-offline')[0]!.status).toBe('open');
  });
});
