import { describe, expect, it } from 'vitest';
import { SPOTS, drone, harness } from '../testing/fixtures';

const T0 = Date.parse('2026-06-01T22:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** Reports every 5 s from `from` to `to` seconds, with the given speed and height. */
function series(
  prefix: string,
  from: number,
  to: number,
  where: { lat: number; lon: number },
  speed: number,
  altM = 60,
) {
  const out = [];
  for (let s = from; s <= to; s += 5) {
    out.push(drone(`${prefix}${s}`, at(s), 'T1', { ...where, altM }, { groundSpeedMps: speed }));
  }
  return out;
}

describe('drone-drop', () => {
  it.each([
    {
      name: 'hover of exactly 20 s over a yard',
      reports: series('h', 0, 20, SPOTS.overYard1, 0.5),
      fires: true,
    },
    { name: 'hover of 15 s', reports: series('h', 0, 15, SPOTS.overYard1, 0.5), fires: false },
    {
      name: 'slow at exactly 1 m/s is not a hover',
      reports: series('h', 0, 30, SPOTS.overYard1, 1),
      fires: false,
    },
    { name: 'hover over open ground', reports: series('h', 0, 40, SPOTS.openGround, 0), fires: false },
    { name: 'hover over a wing footprint', reports: series('h', 0, 25, SPOTS.overA, 0.2), fires: true },
    {
      name: 'descent below 30 m over a wing',
      reports: [drone('x', at(0), 'T1', { ...SPOTS.overB, altM: 29 })],
      fires: true,
    },
    { name: 'exactly 30 m', reports: [drone('x', at(0), 'T1', { ...SPOTS.overB, altM: 30 })], fires: false },
    {
      name: 'low over open ground',
      reports: [drone('x', at(0), 'T1', { ...SPOTS.openGround, altM: 5 })],
      fires: false,
    },
  ])('$name: fires=$fires', ({ reports, fires }) => {
    const h = harness();
    h.run(reports, { heartbeatEveryMin: 0 });
    const drops = h.alerts('drone-drop');
    expect(drops).toHaveLength(fires ? 1 : 0);
    if (fires) expect(drops[0]).toMatchObject({ severity: 'critical', status: 'open' });
  });

  it('fires the moment the hover completes, before any watermark', () => {
    const h = harness();
    const changes = h.run(series('h', 0, 20, SPOTS.overYard1, 0), { heartbeatEveryMin: 0, flush: false });
    const opened = changes.find((c) => c.alert.rule === 'drone-drop');
    expect(opened?.alert).not.toHaveProperty('wingId');
    expect(opened?.alert).toMatchObject({
      title: 'Possible drop over yard yard-1',
      evidence: ['h0', 'h5', 'h10', 'h15', 'h20'],
      lastEventAt: at(20),
    });
  });

  it('a late report that bridges two slow stretches completes the hover', () => {
    const h = harness();
    const reports = [...series('h', 0, 10, SPOTS.overYard1, 0), ...series('h', 20, 25, SPOTS.overYard1, 0)];
    const bridge = drone('h15', at(15), 'T1', { ...SPOTS.overYard1, altM: 60 }, { groundSpeedMps: 0 });
    h.run([...reports, bridge], { heartbeatEveryMin: 0 });
    expect(h.alerts('drone-drop')).toHaveLength(1);
  });

  it('derives speed from positions when the sensor leaves it out', () => {
    const h = harness();
    const still = [0, 5, 10, 15, 20, 25].map((s) =>
      drone(`p${s}`, at(s), 'T1', { ...SPOTS.overYard1, altM: 60 }, { groundSpeedMps: undefined }),
    );
    h.run(still, { heartbeatEveryMin: 0 });
    expect(h.alerts('drone-drop')).toHaveLength(1);
  });

  it('names the wing under a drop over its footprint', () => {
    const h = harness();
    h.run([drone('x', at(0), 'T1', { ...SPOTS.overA, altM: 10 })]);
    expect(h.alerts('drone-drop')[0]).toMatchObject({ wingId: 'a', title: 'Possible drop over Afdeling A' });
  });
});
