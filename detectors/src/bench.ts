import type { SensorEvent, SiteModel } from '@wachtpost/contracts';
import type { Engine } from './engine/engine';
import type { EngineState } from './engine/lane-state';
import { toIso } from './engine/time';

/**
 * Benchmark-ready pieces for `pnpm bench` (detect: events/s through the pure engine). They measure
 * nothing themselves: the harness times `runDetect` over `syntheticEvents`.
 */
export interface DetectRun {
  events: number;
  changes: number;
  late: number;
  duplicates: number;
  alerts: number;
  state: EngineState;
}

export function runDetect(
  engine: Engine,
  events: readonly SensorEvent[],
  state = engine.initialState(),
): DetectRun {
  let changes = 0;
  let late = 0;
  let duplicates = 0;
  for (const event of events) {
    const result = engine.step(state, event);
    changes += result.changes.length;
    if (result.disposition === 'late') late++;
    if (result.disposition === 'duplicate') duplicates++;
  }
  return { events: events.length, changes, late, duplicates, alerts: engine.alerts(state).length, state };
}

export interface SyntheticOptions {
  count: number;
  seed?: number;
  startMs?: number;
  /** Events per second of event time (sets how fast time runs). */
  ratePerSec?: number;
  exercise?: boolean;
}

/** Deterministic mixed traffic for one site: heartbeats on schedule, GSM, drone tracks, roster, searches. */
export function syntheticEvents(site: SiteModel, options: SyntheticOptions): SensorEvent[] {
  const random = mulberry32(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const step = 1000 / (options.ratePerSec ?? 200);
  const exercise = options.exercise ?? false;
  const gsmSensors = site.sensors.filter((s) => s.kind === 'gsm' && s.zoneIds.length > 0);
  const droneSensors = site.sensors.filter((s) => s.kind === 'drone');
  const cells = site.wings.flatMap((w) => w.cells);
  const rosterSensor = site.sensors.find((s) => s.kind === 'roster')?.id ?? 'roster-gw';
  const searchSensor = site.sensors.find((s) => s.kind === 'search')?.id ?? 'search-gw';
  const lats = site.airspace.map((p) => p[0]);
  const lons = site.airspace.map((p) => p[1]);
  const box = {
    lat: Math.min(...lats),
    dLat: Math.max(...lats) - Math.min(...lats),
    lon: Math.min(...lons),
    dLon: Math.max(...lons) - Math.min(...lons),
  };
  const nextBeat = new Map(site.sensors.map((s) => [s.id, options.startMs ?? 0]));
  const events: SensorEvent[] = [];
  let t = options.startMs ?? Date.UTC(2026, 0, 5);
  let track: { id: string; sensor: string; left: number; lat: number; lon: number } | null = null;
  for (let i = 0; events.length < options.count; i++) {
    t += step;
    const base = {
      v: 1 as const,
      eventId: `syn-${i}`,
      siteId: site.id,
      observedAt: toIso(Math.round(t)),
      exercise,
    };
    const due = site.sensors.find((s) => (nextBeat.get(s.id) ?? 0) <= t);
    if (due) {
      nextBeat.set(due.id, t + due.heartbeatIntervalS * 1000);
      events.push({
        ...base,
        kind: 'heartbeat',
        sensorId: due.id,
        status: 'ok',
        intervalS: due.heartbeatIntervalS,
      });
      continue;
    }
    const roll = random();
    if ((roll < 0.1 || track) && droneSensors.length > 0) {
      track ??= {
        id: `trk-${i}`,
        sensor: pick(droneSensors).id,
        left: 60,
        lat: box.lat + random() * box.dLat,
        lon: box.lon + random() * box.dLon,
      };
      track.lat += (random() - 0.5) * 0.0002;
      track.lon += (random() - 0.5) * 0.0002;
      track.left--;
      events.push({
        ...base,
        kind: 'drone',
        sensorId: track.sensor,
        trackId: track.id,
        phase: track.left === 59 ? 'start' : track.left === 0 ? 'end' : 'update',
        detection: 'radar',
        category: 'drone',
        position: { lat: track.lat, lon: track.lon, altM: 20 + random() * 60 },
        groundSpeedMps: random() * 8,
      });
      if (track.left === 0) track = null;
    } else if (roll < 0.93 && gsmSensors.length > 0) {
      const sensor = pick(gsmSensors);
      events.push({
        ...base,
        kind: 'gsm',
        sensorId: sensor.id,
        zoneId: pick(sensor.zoneIds),
        tech: '4g',
        rssiDbm: -60 - Math.floor(random() * 40),
        durationS: Math.floor(random() * 120),
        activity: 'data',
        ...(random() < 0.5 && { deviceKey: `dev-${Math.floor(random() * 400)}` }),
      });
    } else if (roll < 0.97) {
      events.push({
        ...base,
        kind: 'roster',
        sensorId: rosterSensor,
        detaineeId: `d-${Math.floor(random() * 300)}`,
        action: 'move',
        cellId: pick(cells),
        effectiveAt: toIso(Math.round(t - random() * 3_600_000)),
      });
    } else {
      const cell = pick(cells);
      events.push({
        ...base,
        kind: 'search',
        sensorId: searchSensor,
        searchId: `s-${i}`,
        type: 'cell-inspection',
        trigger: 'routine',
        cellIds: [cell],
        startedAt: toIso(Math.round(t - 1_800_000)),
        endedAt: toIso(Math.round(t - 600_000)),
        findings: random() < 0.3 ? [{ category: 'phone', qty: 1, cellId: cell }] : [],
      });
    }
  }
  return events;
}

/** Small seeded PRNG: the benchmark must be reproducible and the engine never touches Math.random. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
