import {
  indexSite,
  locate,
  parseSiteModel,
  sensorSubject,
  validateSensorMessage,
  type DroneEvent,
  type SensorEvent,
} from '@wachtpost/contracts';
import { encodeJson } from '../messages/message';
import { describe, expect, it } from 'vitest';
import { SiteClock } from '../site-time';
import { DAY, demoSite, demoSiteIndex, HOUR, T0, verdictOf } from '../test-fixtures';
import { generateEvents, type GeneratorOptions } from './generate';

const run = (options: Partial<GeneratorOptions> = {}) => [
  ...generateEvents({ site: demoSite(), seed: 7, from: T0, to: T0 + 6 * HOUR, intensity: 2000, ...options }),
];

/** Groups drone events into flights: a flight's tracks follow each other with no gap of 20 minutes. */
function flights(events: readonly SensorEvent[]): DroneEvent[][] {
  const out: DroneEvent[][] = [];
  let last = -Infinity;
  for (const e of events) {
    if (e.kind !== 'drone') continue;
    const t = Date.parse(e.observedAt);
    if (t - last > 20 * 60_000) out.push([]);
    out[out.length - 1]!.push(e);
    last = t;
  }
  return out;
}

describe('generateEvents', () => {
  it('gives the same events for the same seed and other events for another', () => {
    const a = run();
    expect(a.length).toBeGreaterThan(10_000);
    expect(run()).toEqual(a);
    const b = run({ seed: 8 });
    expect(b.map((e) => e.eventId)).not.toEqual(a.map((e) => e.eventId));
  });

  it(
    'sends only events that ingest accepts, in observedAt order, with unique ids and rising seq',
    { timeout: 60_000 },
    () => {
      const events = run({ to: T0 + 2 * DAY, intensity: 500 });
      const kinds = new Set(events.map((e) => e.kind));
      expect([...kinds].sort()).toEqual(['drone', 'gsm', 'heartbeat', 'roster', 'search']);
      const ids = new Set<string>();
      const seq = new Map<string, number>();
      const problems: string[] = [];
      let previous = '';
      // Plain checks in the loop and one assertion at the end: expect() per event would dominate the run time.
      for (const event of events) {
        const v = verdictOf(event);
        if (!v.ok) problems.push(`${v.reason}: ${v.detail} in ${JSON.stringify(event)}`);
        if (event.observedAt < previous) problems.push(`${event.eventId} out of order`);
        if (ids.has(event.eventId)) problems.push(`${event.eventId} repeated`);
        if (event.seq !== (seq.get(event.sensorId) ?? -1) + 1)
          problems.push(`${event.eventId} seq ${event.seq}`);
        if (!event.exercise) problems.push(`${event.eventId} not an exercise`);
        previous = event.observedAt;
        ids.add(event.eventId);
        seq.set(event.sensorId, event.seq!);
      }
      expect(problems.slice(0, 5)).toEqual([]);
      expect(events.length).toBeGreaterThan(100_000);
    },
  );

  it('stays inside the requested range and marks real traffic when asked', () => {
    const events = run({ to: T0 + HOUR, exercise: false });
    expect(events.every((e) => !e.exercise)).toBe(true);
    expect(Date.parse(events[0]!.observedAt)).toBeGreaterThanOrEqual(T0);
    expect(Date.parse(events.at(-1)!.observedAt)).toBeLessThan(T0 + HOUR);
  });

  it('emits only the kinds asked for, with the same events of those kinds', () => {
    const all = run().filter((e) => e.kind === 'drone');
    const drones = run({ kinds: ['drone'] });
    expect(drones.every((e) => e.kind === 'drone')).toBe(true);
    expect(drones.map(({ eventId: _id, seq: _seq, ...rest }) => rest)).toEqual(
      all.map(({ eventId: _id, seq: _seq, ...rest }) => rest),
    );
  });

  it('flies a drone at the instant asked for, besides the random flights', () => {
    const firstDrone = (events: readonly SensorEvent[]) =>
      events.find((e) => e.kind === 'drone' && e.phase === 'start');
    const quiet = run({ intensity: 1, to: T0 + HOUR });
    expect(firstDrone(quiet)).toBeUndefined();
    const asked = run({ intensity: 1, to: T0 + HOUR, firstFlightAt: T0 + 15_000 });
    const start = Date.parse(firstDrone(asked)!.observedAt);
    expect(start).toBeGreaterThanOrEqual(T0 + 15_000);
    expect(start).toBeLessThan(T0 + 60_000);
  });

  it('is an endless stream when no end is given', () => {
    const stream = generateEvents({ site: demoSite(), seed: 1, from: T0 });
    let n = 0;
    for (const _ of stream) if (++n === 5000) break;
    expect(n).toBe(5000);
  });

  it('copes with a small site: no gateways, one yard, sensors of two kinds', () => {
    // The example of CONTRACT.md section 2.
    const site = parseSiteModel(
      `
id: mini
name: PI Mini
timezone: Europe/Amsterdam
airspace: [[51.664, 5.284], [51.664, 5.296], [51.656, 5.296], [51.656, 5.284]]
wings:
  - { id: a, name: Afdeling A, regime: regular, footprint: [[51.6615, 5.287], [51.6615, 5.289], [51.6625, 5.289], [51.6625, 5.287]], cells: [a-01, a-02] }
zones:
  - { id: a-corridor, type: corridor, wingIds: [a] }
  - { id: yard-1, type: yard, wingIds: [a], polygon: [[51.6605, 5.289], [51.6605, 5.291], [51.6613, 5.291], [51.6613, 5.289]] }
sensors:
  - { id: gsm-a-1, kind: gsm, zoneIds: [a-01, a-02, a-corridor], heartbeatIntervalS: 30 }
  - { id: radar-1, kind: drone, zoneIds: [], heartbeatIntervalS: 10 }
`,
      'mini',
    );
    const sites = new Map([['mini', indexSite(site)]]);
    const events = [...generateEvents({ site, seed: 1, from: T0, to: T0 + 2 * DAY, intensity: 2000 })];
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['heartbeat', 'gsm', 'drone']));
    const rejected = events.filter((e) => {
      const now = Date.parse(e.observedAt);
      return !validateSensorMessage(sensorSubject(e), encodeJson(e), { sites, now }).ok;
    });
    expect(rejected).toEqual([]);
  });

  describe('drone tracks', () => {
    const events = run({ to: T0 + 2 * DAY, intensity: 1000, kinds: ['drone'] }) as DroneEvent[];
    const byTrack = new Map<string, DroneEvent[]>();
    for (const e of events) byTrack.set(e.trackId, [...(byTrack.get(e.trackId) ?? []), e]);

    it('start, update at 1 Hz and end, per sensor', () => {
      expect(byTrack.size).toBeGreaterThan(20);
      for (const track of byTrack.values()) {
        expect(track[0]!.phase).toBe('start');
        expect(track.at(-1)!.phase).toBe('end');
        expect(track.slice(1, -1).every((e) => e.phase === 'update')).toBe(true);
        expect(new Set(track.map((e) => e.sensorId)).size).toBe(1);
        for (let i = 1; i < track.length; i++) {
          const gap = Date.parse(track[i]!.observedAt) - Date.parse(track[i - 1]!.observedAt);
          expect(gap).toBeGreaterThanOrEqual(1000);
          expect(gap).toBeLessThanOrEqual(4000);
        }
      }
    });

    it('has RF tracks with bearing only and others with a position, and controllers', () => {
      const rf = events.filter((e) => e.detection === 'rf' && e.category === 'drone');
      expect(rf.some((e) => e.bearingDeg !== undefined && e.position === undefined)).toBe(true);
      expect(rf.some((e) => e.position !== undefined && e.remoteId !== undefined)).toBe(true);
      expect(events.some((e) => e.category === 'controller')).toBe(true);
      expect(events.some((e) => e.detection === 'radar' && e.position)).toBe(true);
    });

    it('lets several sensors see one flight', () => {
      const perFlight = flights(events).map((f) => new Set(f.map((e) => e.sensorId)).size);
      expect(perFlight.length).toBeGreaterThan(5);
      expect(perFlight.filter((n) => n >= 2).length / perFlight.length).toBeGreaterThan(0.8);
    });

    it('hovers low over a yard at night', () => {
      const index = demoSiteIndex();
      const clock = new SiteClock(index.site.timezone);
      const hovering = events.filter((e) => {
        if (e.detection !== 'radar' || !e.position) return false;
        const hour = clock.local(Date.parse(e.observedAt)).hour;
        const zone = locate(index, [e.position.lat, e.position.lon]).zoneId;
        return (hour >= 21 || hour < 5) && zone?.startsWith('yard') && (e.groundSpeedMps ?? 99) < 3;
      });
      expect(new Set(hovering.map((e) => e.trackId)).size).toBeGreaterThan(1);
    });
  });
});
