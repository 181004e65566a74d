import { describe, expect, it } from 'vitest';
import { SPOTS, drone, harness } from '../testing/fixtures';

describe('drone-incursion', () => {
  it('fires on the first report inside the airspace, without waiting for a watermark', () => {
    const h = harness();
    const changes = h.run([drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.overA)], {
      heartbeatEveryMin: 0,
    });
    const opened = changes.filter((c) => c.alert.rule === 'drone-incursion');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      change: 'opened',
      alert: {
        alertId: 'pi-test:drone-incursion:radar-1/T1',
        rev: 1,
        severity: 'high',
        status: 'open',
        wingId: 'a',
        title: 'Drone incursion over Afdeling A',
        evidence: ['d1'],
        firstEventAt: '2026-06-01T22:00:00.000Z',
        exercise: false,
      },
    });
  });

  it.each([
    { name: 'outside the airspace', where: SPOTS.outside, fires: false },
    { name: 'bearing only, never placed', where: null, fires: false },
    { name: 'over open ground in the airspace', where: SPOTS.openGround, fires: true },
  ])('$name: fires=$fires', ({ where, fires }) => {
    const h = harness();
    h.run([drone('d1', '2026-06-01T22:00:00.000Z', 'T1', where)]);
    expect(h.alerts('drone-incursion')).toHaveLength(fires ? 1 : 0);
  });

  it('ignores controllers: their position is the pilot', () => {
    const h = harness();
    h.run([drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.overA, { category: 'controller' })]);
    expect(h.alerts('drone-incursion')).toHaveLength(0);
  });

  it('follows the track: later reports update count and the wing under it', () => {
    const h = harness();
    h.run([
      drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.outside),
      drone('d2', '2026-06-01T22:00:05.000Z', 'T1', SPOTS.overA),
      drone('d3', '2026-06-01T22:00:20.000Z', 'T1', SPOTS.overB),
      drone('d4', '2026-06-01T22:00:40.000Z', 'T1', null),
    ]);
    const [alert] = h.alerts('drone-incursion');
    expect(alert).toMatchObject({
      wingId: 'b',
      count: 3,
      evidence: ['d2', 'd3', 'd4'],
      title: 'Drone incursion over Afdeling B',
    });
  });

  it.each([
    { name: 'within 30 s and 200 m: one incident', dt: 25, where: { lat: 51.6621, lon: 5.2872 }, alerts: 1 },
    { name: 'at exactly 30 s: one incident', dt: 30, where: { lat: 51.6621, lon: 5.2872 }, alerts: 1 },
    { name: 'after 31 s: two incidents', dt: 31, where: { lat: 51.6621, lon: 5.2872 }, alerts: 2 },
    { name: 'more than 200 m apart: two incidents', dt: 5, where: SPOTS.overE, alerts: 2 },
  ])('fuses tracks from several sensors: $name', ({ dt, where, alerts }) => {
    const h = harness();
    const second = new Date(Date.parse('2026-06-01T22:00:00.000Z') + dt * 1000).toISOString();
    h.run([
      drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.overA),
      drone('r1', second, 'X9', where, { sensorId: 'rf-1', detection: 'rf' }),
    ]);
    const found = h.alerts('drone-incursion');
    expect(found).toHaveLength(alerts);
    if (alerts === 1) expect(found[0]!.sensorIds).toEqual(['radar-1', 'rf-1']);
  });

  it('a report arriving out of order still joins its track and keeps evidence in time order', () => {
    const h = harness();
    h.run([
      drone('d2', '2026-06-01T22:00:10.000Z', 'T1', SPOTS.overA),
      drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.overA),
    ]);
    const [alert] = h.alerts('drone-incursion');
    expect(alert).toMatchObject({
      count: 2,
      evidence: ['d1', 'd2'],
      firstEventAt: '2026-06-01T22:00:00.000Z',
    });
  });

  it('coalesces rapid repeats: at most one published update per 10 s of event time', () => {
    const h = harness();
    const reports = Array.from({ length: 30 }, (_, i) =>
      drone(
        `d${i}`,
        new Date(Date.parse('2026-06-01T22:00:00.000Z') + i * 1000).toISOString(),
        'T1',
        SPOTS.overA,
      ),
    );
    const changes = h
      .run(reports, { heartbeatEveryMin: 0, flush: false })
      .filter((c) => c.alert.rule === 'drone-incursion');
    expect(changes.length).toBeLessThanOrEqual(4);
    expect(h.engine.flush(h.state).changes.at(-1)?.alert.count ?? changes.at(-1)!.alert.count).toBe(30);
  });

  it('a new incident after the gap opens a new alert for a new track', () => {
    const h = harness();
    h.run([
      drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.overA),
      drone('d2', '2026-06-01T22:30:00.000Z', 'T2', SPOTS.overA),
    ]);
    expect(h.alerts('drone-incursion').map((a) => a.alertId)).toEqual([
      'pi-test:drone-incursion:radar-1/T1',
      'pi-test:drone-incursion:radar-1/T2',
    ]);
  });

  it('a drone back for a second pass after the operator closed the first opens a new alert', () => {
    // Remote ID keeps the track id of one drone: the second pass, 9 minutes later, is the same track.
    const pass = (from: string, n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) =>
        drone(`${prefix}${i}`, new Date(Date.parse(from) + i * 10_000).toISOString(), 'UAS-1', SPOTS.overB, {
          detection: 'remote-id',
        }),
      );
    const h = harness();
    h.run(pass('2026-06-01T23:00:00.000Z', 7, 'p'), { heartbeatEveryMin: 0 });
    const [first] = h.alerts('drone-incursion');
    h.engine.command(h.state, { action: 'resolve', alertId: first!.alertId, at: '2026-06-01T23:02:00.000Z' });
    const back = h.run(pass('2026-06-01T23:10:00.000Z', 3, 'q'), { heartbeatEveryMin: 0 });
    const opened = back.filter((c) => c.alert.rule === 'drone-incursion' && c.change === 'opened');
    expect(opened.map((c) => c.alert)).toMatchObject([
      { alertId: 'pi-test:drone-incursion:radar-1/UAS-1#2', status: 'open', evidence: ['q0'] },
    ]);
  });

  it('an incident still going on when the operator closed it stays closed for the cool-down', () => {
    const reports = Array.from({ length: 12 }, (_, i) =>
      drone(
        `p${i}`,
        new Date(Date.parse('2026-06-01T23:00:00.000Z') + i * 30_000).toISOString(),
        'T1',
        SPOTS.overB,
      ),
    );
    const h = harness();
    h.run(reports.slice(0, 4), { heartbeatEveryMin: 0 });
    const [first] = h.alerts('drone-incursion');
    h.engine.command(h.state, { action: 'resolve', alertId: first!.alertId, at: '2026-06-01T23:01:40.000Z' });
    h.run(reports.slice(4), { heartbeatEveryMin: 0 });
    expect(h.alerts('drone-incursion').map((a) => [a.alertId, a.status])).toEqual([
      ['pi-test:drone-incursion:radar-1/T1', 'resolved'],
    ]);
  });

  it('a radar that loses the drone and picks it up 45 s later under a new track id raises one alert', () => {
    const h = harness();
    const t0 = Date.parse('2026-06-01T23:00:00.000Z');
    const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
    h.run([
      ...Array.from({ length: 7 }, (_, i) => drone(`p${i}`, iso(i * 10), 'T1', SPOTS.overB)),
      drone('q0', iso(105), 'T2', { lat: 51.6621, lon: 5.2896 }),
      drone('q1', iso(115), 'T2', { lat: 51.6621, lon: 5.2896 }),
    ]);
    expect(h.alerts('drone-incursion').map((a) => [a.alertId, a.count])).toEqual([
      ['pi-test:drone-incursion:radar-1/T1', 9],
    ]);
  });
});
