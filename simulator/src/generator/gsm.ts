import type { GsmEvent } from '@wachtpost/contracts';
import type { Rng } from '../rng';
import { hourWeight, nextArrival } from './arrivals';
import { DAY_MS } from './rates';
import type { Draft, Simulation } from './simulation';
import type { Phone } from './world';

const TECH = [
  ['4g', 0.7],
  ['5g', 0.15],
  ['2g', 0.1],
  ['unknown', 0.05],
] as const;
// Dutch bands: 3G is switched off; 2G survives on 900/1800 until 2026-2027.
const BANDS: Record<GsmEvent['tech'], readonly string[]> = {
  '4g': ['B3', 'B7', 'B8', 'B20'],
  '5g': ['n1', 'n28', 'n78'],
  '2g': ['GSM900', 'DCS1800'],
  unknown: [],
};
const ACTIVITY = [
  ['data', 0.45],
  ['sms', 0.2],
  ['call', 0.15],
  ['registration', 0.15],
  ['unknown', 0.05],
] as const;

function durationS(rng: Rng, activity: GsmEvent['activity']): number {
  const raw = {
    call: () => Math.min(3600, rng.logNormal(75, 0.8)),
    sms: () => rng.uniform(0.5, 3),
    data: () => Math.min(1800, rng.logNormal(20, 1)),
    registration: () => rng.uniform(0.3, 2),
    unknown: () => rng.uniform(1, 30),
  }[activity]();
  return Math.round(raw * 10) / 10;
}

/**
 * Mobile-phone radio activity: contraband phones in cells (busiest at night), the staff's service phones
 * in corridors by day, and phones taken out to the yards. Passive sensors only hear a phone while it
 * transmits, so each burst is one event per sensor that covers the zone.
 */
export class PhoneNetwork {
  private readonly rng: Rng;
  private readonly peakPhoneRate: number;

  constructor(private readonly sim: Simulation) {
    this.rng = sim.rng('gsm');
    this.peakPhoneRate = Math.max(...sim.rates.phoneBurstsPerHour);
  }

  start(): void {
    const { sim, rng } = this;
    const { world, rates } = sim;
    const initial = Math.round(rates.phoneCellShare * world.cells.length);
    for (let i = 0; i < initial; i++) {
      const cellId = world.smugglingTarget(rng);
      if (cellId !== undefined) this.place(cellId);
    }
    // New phones arrive (visits, staff, parcels, drones) as fast as old ones go out of use on average.
    const arrivalsPerHour = initial / rates.phoneLifetimeDays / 24;
    const arrive = (t: number) => {
      const next = nextArrival(rng, t, arrivalsPerHour, () => arrivalsPerHour);
      if (next === undefined) return;
      sim.at(next, () => {
        const cellId = world.smugglingTarget(rng, [...world.occupant.keys()]);
        if (cellId !== undefined) this.place(cellId);
        arrive(next);
      });
    };
    arrive(sim.from);
    this.startServicePhones();
    this.startYards();
  }

  /** A contraband phone turns up in a cell and starts transmitting until found or out of use. */
  place(cellId: string, key?: string): Phone {
    const { sim, rng } = this;
    const phone = sim.world.addPhone(cellId, key);
    sim.at(sim.now + rng.exponential(1 / sim.rates.phoneLifetimeDays) * DAY_MS, () =>
      sim.world.removePhone(phone),
    );
    const profile = sim.rates.phoneBurstsPerHour;
    const burst = (t: number) => {
      const next = nextArrival(rng, t, this.peakPhoneRate, (at) => hourWeight(profile, sim.localHour(at)));
      if (next === undefined) return;
      sim.at(next, () => {
        if (!phone.active) return;
        this.burst(next, phone.cellId, 'cell', phone.key);
        burst(next);
      });
    };
    burst(sim.now);
    return phone;
  }

  private startServicePhones(): void {
    const { sim, rng } = this;
    const keys = [...sim.index.allowlist];
    const wings = sim.site.wings;
    keys.forEach((key, i) => {
      const wing = wings[i % wings.length]!;
      const zones = [...sim.index.zones.values()]
        .filter((z) => (z.type === 'corridor' || z.type === 'common') && z.wingIds.includes(wing.id))
        .filter((z) => sim.gsmSensorsFor(z.id).length > 0)
        .map((z) => z.id);
      if (zones.length === 0) return;
      const rate = sim.rates.servicePhoneBurstsPerHour;
      const step = (t: number) => {
        const next = nextArrival(rng, t, rate, (at) => {
          const hour = sim.localHour(at);
          return hour >= 7 && hour < 22 ? rate : 0;
        });
        if (next === undefined) return;
        sim.at(next, () => {
          this.burst(next, rng.pick(zones), 'service', key);
          step(next);
        });
      };
      step(sim.from);
    });
  }

  private startYards(): void {
    const { sim, rng } = this;
    const { yardTime, otherwise } = sim.rates.yardBurstsPerHour;
    const yards = [...sim.index.zones.values()].filter((z) => z.type === 'yard');
    for (const yard of yards) {
      const step = (t: number) => {
        const next = nextArrival(rng, t, yardTime, (at) => {
          const hour = sim.localHour(at);
          return sim.rates.yardHours.some(([a, b]) => hour >= a && hour < b) ? yardTime : otherwise;
        });
        if (next === undefined) return;
        sim.at(next, () => {
          this.burst(next, yard.id, 'yard');
          step(next);
        });
      };
      step(sim.from);
    }
  }

  private burst(at: number, zoneId: string, source: 'cell' | 'service' | 'yard', key?: string): void {
    const { sim, rng } = this;
    const sensors = sim.gsmSensorsFor(zoneId);
    if (sensors.length === 0 || !sim.emits('gsm')) return;
    const tech = rng.weighted(TECH);
    const band = BANDS[tech].length > 0 ? rng.pick(BANDS[tech]) : undefined;
    const activity = rng.weighted(ACTIVITY);
    const duration = durationS(rng, activity);
    // The institution knows its own service phones; anyone else's identity needs a lawful source.
    const deviceKey =
      source === 'service' || (key && rng.chance(sim.rates.gsmDeviceKeyShare)) ? key : undefined;
    const baseRssi = source === 'yard' ? rng.normal(-70, 8) : rng.normal(-60, 7);
    sensors.forEach((sensor, i) => {
      const draft: Draft = {
        kind: 'gsm',
        sensorId: sensor.id,
        zoneId,
        tech,
        ...(band !== undefined && { band }),
        rssiDbm: Math.round(Math.max(-120, Math.min(-25, baseRssi - i * 10 + rng.normal(0, 2)))),
        durationS: duration,
        activity,
        ...(deviceKey !== undefined && { deviceKey }),
      };
      // Sensors timestamp the same burst a few milliseconds apart.
      sim.emitAt(at + i * rng.int(1, 40), draft);
    });
  }
}
