import type { SensorEvent } from '@wachtpost/contracts';
import { describe, expect, it } from 'vitest';
import { SiteClock } from '../site-time';
import { demoSite, T0 } from '../test-fixtures';
import { generateEvents } from './generate';
import { DEFAULT_RATES, MONTH_MS, YEAR_MS } from './rates';

/** Calibration figures measured here are quoted in simulator/README.md; keep the two in step. */
const report = (what: string, value: number) => console.log(`calibration: ${what} = ${value.toFixed(2)}`);

const site = demoSite();
const clock = new SiteClock(site.timezone);
const cellCount = site.wings.reduce((n, w) => n + w.cells.length, 0);
const localHour = (e: SensorEvent) => clock.local(Date.parse(e.observedAt)).hour;

/** Drone flights in a stream: tracks of one flight follow each other without a 20-minute gap. */
function countFlights(events: Iterable<SensorEvent>): { flights: number; atNight: number } {
  let flights = 0;
  let atNight = 0;
  let last = -Infinity;
  for (const e of events) {
    const t = Date.parse(e.observedAt);
    if (t - last > 20 * 60_000) {
      flights++;
      const hour = localHour(e);
      if (hour >= 21 || hour < 5) atNight++;
    }
    last = t;
  }
  return { flights, atNight };
}

describe('calibration', () => {
  it(
    'over a simulated month: heartbeats per sensor and the night-time GSM peak',
    { timeout: 120_000 },
    () => {
      const heartbeats = new Map<string, number>();
      let night = 0;
      let day = 0;
      for (const e of generateEvents({ site, seed: 1, from: T0, to: T0 + MONTH_MS })) {
        if (e.kind === 'heartbeat') heartbeats.set(e.sensorId, (heartbeats.get(e.sensorId) ?? 0) + 1);
        if (e.kind === 'gsm' && site.wings.some((w) => w.cells.includes(e.zoneId))) {
          const hour = localHour(e);
          if (hour >= 22 || hour < 2) night++;
          else if (hour >= 10 && hour < 16) day++;
        }
      }
      for (const sensor of site.sensors) {
        const expected = MONTH_MS / (sensor.heartbeatIntervalS * 1000);
        expect(Math.abs(heartbeats.get(sensor.id)! - expected), sensor.id).toBeLessThanOrEqual(1);
      }
      report('heartbeats per gsm-a-1 per month (30 s interval)', heartbeats.get('gsm-a-1')!);
      // Bursts per hour in cells, 22:00-02:00 against 10:00-16:00 local; the profile gives about 5.4.
      const ratio = night / 4 / (day / 6);
      report('GSM night/day burst ratio in cells', ratio);
      expect(ratio).toBeGreaterThan(4);
      expect(ratio).toBeLessThan(7);
    },
  );

  it(
    'flies about 10 drones a year per site, most at night, times the intensity',
    { timeout: 120_000 },
    () => {
      // Ten seeds of one month each at intensity 12, which should give 10 flights a month per seed.
      const intensity = 12;
      let flights = 0;
      let atNight = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const counted = countFlights(
          generateEvents({ site, seed, from: T0, to: T0 + MONTH_MS, intensity, kinds: ['drone'] }),
        );
        flights += counted.flights;
        atNight += counted.atNight;
      }
      const perYear = flights / intensity / ((10 * MONTH_MS) / YEAR_MS);
      report('drone flights per site per year at intensity 1', perYear);
      report('share of flights starting 21:00-05:00', atNight / flights);
      expect(perYear).toBeGreaterThan(DEFAULT_RATES.droneFlightsPerYear * 0.8);
      expect(perYear).toBeLessThan(DEFAULT_RATES.droneFlightsPerYear * 1.2);
      expect(atNight / flights).toBeGreaterThan(0.6);
    },
  );

  it(
    'finds about 4.6 contraband items per 100 cells per month, 60% drugs and 30% phones',
    { timeout: 120_000 },
    () => {
      // Finds are rare events (about 6 a month on the demo site), so measure over three seeds of a year each.
      let finds = 0;
      let drugs = 0;
      let phones = 0;
      let searches = 0;
      const years = 3;
      for (let seed = 1; seed <= years; seed++) {
        for (const e of generateEvents({ site, seed, from: T0, to: T0 + YEAR_MS, kinds: ['search'] })) {
          if (e.kind !== 'search') continue;
          searches++;
          for (const f of e.findings) {
            finds++;
            if (f.category === 'drugs') drugs++;
            if (f.category === 'phone') phones++;
          }
        }
      }
      const months = (years * YEAR_MS) / MONTH_MS;
      const per100 = (finds / cellCount / months) * 100;
      report('finds per 100 cells per month', per100);
      report('share of finds that are drugs', drugs / finds);
      report('share of finds that are phones', phones / finds);
      report('searches per month', searches / months);
      expect(per100).toBeGreaterThan(DEFAULT_RATES.findsPer100CellsPerMonth * 0.85);
      expect(per100).toBeLessThan(DEFAULT_RATES.findsPer100CellsPerMonth * 1.15);
      expect(drugs / finds).toBeGreaterThan(0.5);
      expect(drugs / finds).toBeLessThan(0.7);
      expect(phones / finds).toBeGreaterThan(0.2);
      expect(phones / finds).toBeLessThan(0.4);
    },
  );

  it('keeps the occupancy near its target through admits, moves and releases', { timeout: 60_000 }, () => {
    const housed = new Map<string, string>();
    let moves = 0;
    for (const e of generateEvents({ site, seed: 3, from: T0, to: T0 + 6 * MONTH_MS, kinds: ['roster'] })) {
      if (e.kind !== 'roster') continue;
      if (e.action === 'release') housed.delete(e.detaineeId);
      else housed.set(e.detaineeId, e.cellId!);
      if (e.action === 'move') moves++;
    }
    const occupancy = housed.size / cellCount;
    report('occupancy after six months', occupancy);
    report('moves per 100 cells per day', (moves / cellCount / ((6 * MONTH_MS) / 86_400_000)) * 100);
    expect(occupancy).toBeGreaterThan(0.75);
    expect(occupancy).toBeLessThanOrEqual(1);
  });
});
