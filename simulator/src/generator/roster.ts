import type { Rng } from '../rng';
import { nextArrival } from './arrivals';
import { DAY_MS, HOUR_MS, officeHoursWeight } from './rates';
import type { Simulation } from './simulation';

/**
 * The prison's administration system: a snapshot of who is housed where when the run starts (admits with
 * effective times in the past), then admits, releases and internal moves during office hours.
 */
export function startRoster(sim: Simulation): void {
  const gateway = sim.sensorsOfKind('roster')[0];
  const rng = sim.rng('roster');
  const { world, rates } = sim;
  const cellCount = world.cells.length;
  if (cellCount === 0) return;

  const send = (at: number, detaineeId: string, action: 'admit' | 'move' | 'release', cellId?: string) => {
    if (!gateway || !sim.emits('roster')) return;
    const late = rng.chance(rates.rosterLateShare);
    const effectiveAt = late ? at - rng.uniform(HOUR_MS, 3 * DAY_MS) : at - rng.uniform(0, 30 * 60_000);
    sim.emitAt(at, {
      kind: 'roster',
      sensorId: gateway.id,
      detaineeId,
      action,
      ...(cellId !== undefined && { cellId }),
      effectiveAt: new Date(Math.floor(effectiveAt)).toISOString(),
    });
  };

  // The snapshot: a gateway that connects sends the current housing, each admitted some time ago.
  world.cells.forEach((cell, i) => {
    if (!rng.chance(rates.occupancy)) return;
    const detaineeId = world.newDetaineeId();
    world.house(detaineeId, cell.id);
    if (!gateway || !sim.emits('roster')) return;
    const at = sim.from + i * 10;
    sim.emitAt(at, {
      kind: 'roster',
      sensorId: gateway.id,
      detaineeId,
      action: 'admit',
      cellId: cell.id,
      effectiveAt: new Date(
        sim.from - Math.floor(rng.uniform(1, 2 * rates.meanStayDays) * DAY_MS),
      ).toISOString(),
    });
  });

  // Office hours average 8 h on weekdays and a quarter of that at weekends: scale rates so a week adds up.
  const officeHoursPerDay = (5 * 8 + 2 * 8 * 0.25) / 7;
  const perDayToPeakPerHour = (perDay: number) => perDay / officeHoursPerDay;
  const office = (t: number) => {
    const local = sim.clock.local(t);
    return officeHoursWeight(local.hour, local.weekday);
  };

  const admitsPerDay = (rates.occupancy * cellCount) / rates.meanStayDays;
  const releasePeakPerHour = perDayToPeakPerHour(cellCount / rates.meanStayDays);
  const movesPerDay = (rates.movesPer100CellsPerDay * cellCount) / 100;

  const repeat = (peakPerHour: number, rate: (t: number) => number, act: (t: number, r: Rng) => void) => {
    const step = (t: number) => {
      const next = nextArrival(rng, t, peakPerHour, rate);
      if (next === undefined) return;
      sim.at(next, () => {
        act(next, rng);
        step(next);
      });
    };
    step(sim.from);
  };

  repeat(
    perDayToPeakPerHour(admitsPerDay),
    (t) => perDayToPeakPerHour(admitsPerDay) * office(t),
    (t, r) => {
      const cellId = world.smugglingTarget(r, world.freeCells()) ?? undefined;
      if (cellId === undefined) return;
      const detaineeId = world.newDetaineeId();
      world.house(detaineeId, cellId);
      send(t, detaineeId, 'admit', cellId);
    },
  );

  // Releases thin by occupancy, so the population hovers around the target occupancy.
  repeat(
    releasePeakPerHour,
    (t) => releasePeakPerHour * office(t) * (world.cellOf.size / cellCount),
    (t, r) => {
      const detainees = [...world.cellOf.keys()];
      if (detainees.length === 0) return;
      const detaineeId = r.pick(detainees);
      world.release(detaineeId);
      send(t, detaineeId, 'release');
    },
  );

  repeat(
    perDayToPeakPerHour(movesPerDay),
    (t) => perDayToPeakPerHour(movesPerDay) * office(t),
    (t, r) => {
      const detainees = [...world.cellOf.keys()];
      if (detainees.length === 0) return;
      const detaineeId = r.pick(detainees);
      const from = world.cellOf.get(detaineeId)!;
      const wing = world.cells.find((c) => c.id === from)?.wingId;
      const sameWing = r.chance(0.6) ? world.freeCells(wing) : [];
      const candidates = sameWing.length > 0 ? sameWing : world.freeCells();
      if (candidates.length === 0) return;
      const cellId = r.pick(candidates);
      world.house(detaineeId, cellId);
      send(t, detaineeId, 'move', cellId);
    },
  );
}
