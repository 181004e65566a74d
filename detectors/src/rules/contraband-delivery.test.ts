import { describe, expect, it } from 'vitest';
import type { SensorEvent } from '@wachtpost/contracts';
import { SPOTS, asExercise, drone, gsm, harness, roster } from '../testing/fixtures';

const T0 = Date.parse('2026-06-01T22:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const DAY_MIN = 24 * 60;
const nearA = { lat: 51.663, lon: 5.287 };
const notNearA = { lat: 51.6637, lon: 5.287 };

const incursion = (where: { lat: number; lon: number } = SPOTS.overA) => [
  drone('d1', at(0), 'T1', where),
  drone('d2', at(1), 'T1', where),
];

function contraband(events: SensorEvent[]) {
  const h = harness();
  h.run(events, { heartbeatEveryMin: 60, exerciseHeartbeats: true });
  return h;
}

describe('contraband-delivery', () => {
  it.each([
    { name: 'GSM 30 min after the drone, zone never active', gsmAt: 30, fires: true },
    { name: 'GSM exactly 2 h after the last drone report', gsmAt: 121, fires: true },
    { name: 'GSM 2 h and 1 min after the last drone report', gsmAt: 122, fires: false },
    { name: 'GSM before the drone', gsmAt: -5, fires: false },
  ])('window: $name -> fires=$fires', ({ gsmAt, fires }) => {
    const h = contraband(
      [...incursion(), gsm('g1', at(gsmAt), 'a-02')].sort((x, y) => x.observedAt.localeCompare(y.observedAt)),
    );
    expect(h.alerts('contraband-delivery')).toHaveLength(fires ? 1 : 0);
  });

  it('names wing, cell, sensors, evidence and the detainee in the cell at the time', () => {
    const h = contraband([
      roster('r1', at(-60), 'D-17', 'admit', 'a-02'),
      ...incursion(),
      gsm('g1', at(30), 'a-02'),
    ]);
    expect(h.alerts('contraband-delivery')[0]).toMatchObject({
      alertId: 'pi-test:contraband-delivery:a',
      severity: 'critical',
      wingId: 'a',
      cellIds: ['a-02'],
      detaineeIds: ['D-17'],
      sensorIds: ['gsm-a', 'radar-1'],
      evidence: ['d1', 'g1'],
    });
  });

  it.each([
    { name: 'zone active 6 days before', priorDays: 6, device: undefined, fires: false },
    { name: 'zone active exactly 7 days before', priorDays: 7, device: undefined, fires: false },
    {
      name: 'zone last active 7 days and 1 min before',
      priorDays: 7 + 1 / DAY_MIN,
      device: undefined,
      fires: true,
    },
    {
      name: 'zone active 6 days before, but a new device key',
      priorDays: 6,
      device: 'imei-new',
      fires: true,
    },
    {
      name: 'zone active 6 days before with the same device key',
      priorDays: 6,
      device: 'imei-old',
      fires: false,
    },
  ])('quiet zone or new device: $name -> fires=$fires', ({ priorDays, device, fires }) => {
    const h = contraband([
      gsm('g0', at(30 - priorDays * DAY_MIN), 'a-02', { deviceKey: 'imei-old' }),
      ...incursion(),
      gsm('g1', at(30), 'a-02', device === undefined ? {} : { deviceKey: device }),
    ]);
    expect(h.alerts('contraband-delivery')).toHaveLength(fires ? 1 : 0);
  });

  it('allowlisted devices never raise it, and their activity does not make a zone busy', () => {
    const h = contraband([
      gsm('g0', at(-DAY_MIN), 'a-02', { deviceKey: 'svc-1' }),
      ...incursion(),
      gsm('g1', at(30), 'a-02', { deviceKey: 'svc-1' }),
      gsm('g2', at(40), 'a-02'),
    ]);
    const [alert] = h.alerts('contraband-delivery');
    expect(alert?.evidence).toEqual(['d1', 'g2']);
  });

  it.each([
    { name: 'over the footprint', where: SPOTS.overA, zone: 'a-01', fires: true },
    { name: 'within 100 m of the footprint', where: nearA, zone: 'a-01', fires: true },
    { name: 'more than 100 m away', where: notNearA, zone: 'a-01', fires: false },
    { name: 'over a yard the wing uses', where: SPOTS.overYard1, zone: 'b-01', fires: true },
    { name: 'over another wing 300 m away', where: SPOTS.overE, zone: 'a-01', fires: false },
  ])('drone $name -> fires=$fires', ({ where, zone, fires }) => {
    const h = contraband([...incursion(where), gsm('g1', at(30), zone)]);
    expect(h.alerts('contraband-delivery')).toHaveLength(fires ? 1 : 0);
  });

  it('one alert per wing: later activity in the zones it names updates it', () => {
    const h = contraband([
      ...incursion(),
      gsm('g1', at(30), 'a-02'),
      gsm('g2', at(31), 'a-02'),
      gsm('g3', at(32), 'a-03'),
    ]);
    const alerts = h.alerts('contraband-delivery');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      count: 4,
      cellIds: ['a-02', 'a-03'],
      evidence: ['d1', 'g1', 'g2', 'g3'],
    });
  });

  it('an out-of-order GSM report within the allowed lateness correlates as if on time', () => {
    const h = harness();
    // g1 (22:30) arrives after g2 (22:31:30): 90 s out of order, within the 2-minute lateness.
    h.run([...incursion(), gsm('g2', '2026-06-01T22:31:30.000Z', 'a-03'), gsm('g1', at(30), 'a-02')], {
      heartbeatEveryMin: 60,
    });
    const [alert] = h.alerts('contraband-delivery');
    expect(alert).toMatchObject({ evidence: ['d1', 'g1', 'g2'], cellIds: ['a-02', 'a-03'] });
  });

  it('exercise drones never correlate with live phones', () => {
    const h = contraband([...incursion().map(asExercise), gsm('g1', at(30), 'a-02')]);
    expect(h.alerts('contraband-delivery')).toHaveLength(0);
    const exerciseOnly = contraband([...incursion().map(asExercise), asExercise(gsm('g1', at(30), 'a-02'))]);
    expect(exerciseOnly.alerts('contraband-delivery')[0]).toMatchObject({
      alertId: 'pi-test.exercise:contraband-delivery:a',
      exercise: true,
    });
  });

  it('waits for the watermark: nothing until every live sensor has moved past the event', () => {
    const h = harness();
    const changes = h.run([...incursion(), gsm('g1', at(30), 'a-02')], { heartbeatEveryMin: 0 });
    expect(changes.filter((c) => c.alert.rule === 'contraband-delivery')).toHaveLength(0);
    // The drone sensor and gsm-a were heard; a heartbeat past g1 + lateness from both releases it.
    h.engine.step(h.state, gsm('g9', at(40), 'a-corridor'));
    const later = h.engine.step(h.state, drone('d9', at(40), 'T9', SPOTS.outside)).changes;
    expect(later.filter((c) => c.alert.rule === 'contraband-delivery')).toHaveLength(1);
  });

  it.each([
    { name: 'another track', track: 'T2' },
    { name: 'the same Remote ID track', track: 'T1' },
  ])(
    'a second drop minutes after the operator closed the first delivery pages again ($name)',
    ({ track }) => {
      const h = harness();
      h.run([...incursion(), gsm('g1', at(30), 'a-02')], { heartbeatEveryMin: 10, until: at(44) });
      const [first] = h.alerts('contraband-delivery');
      h.engine.command(h.state, { action: 'resolve', alertId: first!.alertId, at: at(45) });
      h.run(
        [
          drone('d3', at(50), track, SPOTS.overA),
          drone('d4', at(51), track, SPOTS.overA),
          gsm('g2', at(55), 'a-03'),
        ],
        {
          heartbeatEveryMin: 10,
        },
      );
      const open = h.alerts('contraband-delivery').filter((a) => a.status === 'open');
      expect(open).toMatchObject([{ alertId: 'pi-test:contraband-delivery:a#2', cellIds: ['a-03'] }]);
    },
  );

  it('activity of the delivery the operator closed stays with the closed alert during the cool-down', () => {
    const h = harness();
    h.run([...incursion(), gsm('g1', at(30), 'a-02')], { heartbeatEveryMin: 10, until: at(44) });
    const [first] = h.alerts('contraband-delivery');
    h.engine.command(h.state, { action: 'resolve', alertId: first!.alertId, at: at(45) });
    h.run([gsm('g2', at(55), 'a-03')], { heartbeatEveryMin: 10 });
    expect(h.alerts('contraband-delivery').map((a) => [a.alertId, a.status, a.count])).toEqual([
      ['pi-test:contraband-delivery:a', 'resolved', 3],
    ]);
  });
});
