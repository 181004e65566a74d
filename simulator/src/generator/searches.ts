import type { Finding, SearchEvent } from '@wachtpost/contracts';
import type { Rng } from '../rng';
import { nextArrival } from './arrivals';
import { DAY_MS, MONTH_MS, officeHoursWeight, type FindCategory } from './rates';
import type { Simulation } from './simulation';
import type { Phone } from './world';

const SWEEP_SIZE = { min: 8, max: 12 };
const OFFICE_HOURS_PER_DAY = (5 * 8 + 2 * 8 * 0.25) / 7;
const OFFICE_HOURS_PER_MONTH = (OFFICE_HOURS_PER_DAY * MONTH_MS) / DAY_MS;

/** A drone drop that a response search may recover before the phones reach a cell. */
export interface Drop {
  wingId: string;
  cellId: string;
  phones: number;
  delivered: Phone[];
  recovered: boolean;
}

interface SearchPlan {
  type: SearchEvent['type'];
  trigger: SearchEvent['trigger'];
  cellIds: string[];
  findChance: number;
  minutes: number;
}

/**
 * Cell searches by the institution's staff, reported by the search gateway when the report is filed:
 * routine cell inspections and sweeps, whole-wing spitacties, intelligence-led searches of cells where a
 * phone is active, and responses to drone drops. Every searched cell yields a find with a probability set
 * so that the whole mix meets the calibrated finds per 100 cells per month.
 */
export class Searches {
  private readonly rng: Rng;
  private readonly cellCount: number;
  private readonly routineFindChance: number;
  private readonly inspectionsPerMonth: number;
  private readonly sweepsPerMonth: number;
  private readonly spitactiesPerWingMonth: number;

  constructor(private readonly sim: Simulation) {
    this.rng = sim.rng('searches');
    const { rates, site } = sim;
    const cells = sim.world.cells.length;
    this.cellCount = cells;
    this.spitactiesPerWingMonth = MONTH_MS / DAY_MS / rates.spitactieEveryDays;
    const spitactieCells = this.spitactiesPerWingMonth * cells;
    const rest = Math.max(0, rates.cellSearchesPerCellMonth * cells - spitactieCells);
    const meanSweep = site.wings.reduce(
      (sum, w) => sum + (w.cells.length / cells) * meanSweepSize(w.cells.length),
      0,
    );
    this.inspectionsPerMonth = rest / 2;
    this.sweepsPerMonth = meanSweep > 0 ? rest / 2 / meanSweep : 0;
    const intelligenceCells = this.inspectionsPerMonth * rates.intelligenceShare;
    const searchedCells = spitactieCells + rest;
    const wantedFinds = (rates.findsPer100CellsPerMonth / 100) * cells;
    this.routineFindChance =
      searchedCells > intelligenceCells
        ? Math.max(
            0,
            (wantedFinds - intelligenceCells * rates.intelligenceFindChance) /
              (searchedCells - intelligenceCells),
          )
        : 0;
  }

  start(): void {
    const { sim, rng } = this;
    if (this.cellCount === 0) return;
    const office = (t: number) => {
      const local = sim.clock.local(t);
      return officeHoursWeight(local.hour, local.weekday);
    };
    const repeat = (perMonth: number, plan: (t: number) => SearchPlan | undefined) => {
      const peak = perMonth / OFFICE_HOURS_PER_MONTH;
      const step = (t: number) => {
        const next = nextArrival(rng, t, peak, (at) => peak * office(at));
        if (next === undefined) return;
        sim.at(next, () => {
          const p = plan(next);
          if (p) this.run(next, p);
          step(next);
        });
      };
      step(sim.from);
    };

    repeat(this.inspectionsPerMonth, () => {
      if (rng.chance(sim.rates.intelligenceShare)) {
        const suspects = sim.world.cellsWithPhones();
        const cellId = suspects.length > 0 ? rng.pick(suspects) : rng.pick(sim.world.cells).id;
        return plan(
          'targeted',
          'intelligence',
          [cellId],
          sim.rates.intelligenceFindChance,
          rng.uniform(20, 45),
        );
      }
      const cellId = rng.pick(sim.world.cells).id;
      return plan('cell-inspection', 'routine', [cellId], this.routineFindChance, rng.uniform(15, 40));
    });
    repeat(this.sweepsPerMonth, () => {
      const wing = rng.weighted(sim.site.wings.map((w) => [w, w.cells.length] as const));
      const cellIds = consecutive(rng, wing.cells, rng.int(SWEEP_SIZE.min, SWEEP_SIZE.max));
      if (cellIds.length === 0) return undefined;
      return plan('sweep', 'routine', cellIds, this.routineFindChance, cellIds.length * rng.uniform(8, 12));
    });
    for (const wing of sim.site.wings) {
      if (wing.cells.length === 0) continue;
      repeat(this.spitactiesPerWingMonth, () =>
        plan(
          'spitactie',
          rng.chance(0.3) ? 'incident' : 'routine',
          [...wing.cells],
          this.routineFindChance,
          wing.cells.length * rng.uniform(6, 10),
        ),
      );
    }
  }

  /** A drone drop was seen: sometimes staff respond and search the wing it went to. */
  respondTo(drop: Drop, seenAt: number): void {
    const { sim, rng } = this;
    if (!rng.chance(sim.rates.droneResponseShare)) return;
    const wingCells = sim.world.cellsOfWing.get(drop.wingId) ?? [];
    const start = wingCells.indexOf(drop.cellId);
    const cellIds = consecutive(
      rng,
      wingCells,
      rng.int(SWEEP_SIZE.min, SWEEP_SIZE.max),
      Math.max(0, start - 4),
    );
    if (!cellIds.includes(drop.cellId)) cellIds.push(drop.cellId);
    const at = seenAt + rng.uniform(0.5, 6) * 3_600_000;
    sim.at(at, () => {
      const recovered = !drop.recovered && rng.chance(sim.rates.droneResponseRecoveryShare);
      const extra: Finding[] = [];
      if (recovered) {
        drop.recovered = true;
        for (const phone of drop.delivered) sim.world.removePhone(phone);
        extra.push({ category: 'phone', qty: drop.phones, cellId: drop.cellId });
        if (rng.chance(0.5))
          extra.push({ category: 'charger', qty: rng.int(1, drop.phones), cellId: drop.cellId });
        if (rng.chance(0.2)) extra.push({ category: 'drugs', qty: 1, cellId: drop.cellId });
      }
      this.run(at, plan('targeted', 'sensor-alert', cellIds, 0, cellIds.length * rng.uniform(8, 12)), extra);
    });
  }

  private run(at: number, p: SearchPlan, extra: Finding[] = []): void {
    const { sim, rng } = this;
    const { world } = sim;
    const occupants = p.cellIds.flatMap((c) => {
      const d = world.occupant.get(c);
      return d === undefined ? [] : [d];
    });
    const findings: Finding[] = [...extra];
    for (const cellId of p.cellIds) {
      if (rng.chance(p.findChance)) findings.push(this.find(cellId));
    }
    const endedAt = at + Math.round(p.minutes * 60_000);
    const gateway = sim.sensorsOfKind('search')[0];
    if (!gateway || !sim.emits('search')) return;
    sim.emitAt(endedAt + rng.uniform(5, 60) * 60_000, {
      kind: 'search',
      sensorId: gateway.id,
      searchId: `srch-${rng.base32(10).toLowerCase()}`,
      type: p.type,
      trigger: p.trigger,
      cellIds: p.cellIds,
      startedAt: new Date(at).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      occupants,
      findings,
    });
  }

  private find(cellId: string): Finding {
    const { sim, rng } = this;
    const category: FindCategory = rng.weighted(sim.rates.findMix);
    const occupant = sim.world.occupant.get(cellId);
    const attributedTo = occupant !== undefined && rng.chance(0.7) ? occupant : undefined;
    const base = { cellId, ...(attributedTo !== undefined && { attributedTo }) };
    if (category === 'phone') {
      // A phone that was transmitting goes quiet once seized; its read-out gives the device key.
      const active = sim.world.activePhones(cellId)[0];
      if (active) sim.world.removePhone(active);
      const deviceKey = active?.key ?? (rng.chance(0.5) ? sim.world.newPhoneKey() : undefined);
      return {
        category,
        qty: rng.chance(0.85) ? 1 : 2,
        ...base,
        ...(deviceKey !== undefined && { deviceKey }),
      };
    }
    const qty =
      category === 'drugs'
        ? 1 + rng.poisson(0.8)
        : category === 'charger' || category === 'sim'
          ? rng.int(1, 2)
          : 1;
    return { category, qty, ...base };
  }
}

function plan(
  type: SearchPlan['type'],
  trigger: SearchPlan['trigger'],
  cellIds: string[],
  findChance: number,
  minutes: number,
): SearchPlan {
  return { type, trigger, cellIds, findChance, minutes };
}

/** Expected size of a sweep in a wing of `n` cells. */
function meanSweepSize(n: number): number {
  let sum = 0;
  for (let k = SWEEP_SIZE.min; k <= SWEEP_SIZE.max; k++) sum += Math.min(n, k);
  return sum / (SWEEP_SIZE.max - SWEEP_SIZE.min + 1);
}

/** `count` neighbouring cells of a wing (a sweep works along a landing). */
function consecutive(rng: Rng, cells: readonly string[], count: number, start?: number): string[] {
  const n = Math.min(count, cells.length);
  const first = Math.min(start ?? rng.int(0, cells.length - n), cells.length - n);
  return cells.slice(first, first + n);
}
