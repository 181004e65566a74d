// Evidence events shown as labelled fields: the envelope in the heading, the rest flattened to dotted paths.
import type { SensorEvent } from './types';

const ENVELOPE = new Set(['v', 'eventId', 'kind', 'siteId', 'sensorId', 'observedAt', 'exercise']);

export function eventFields(event: SensorEvent): [string, string][] {
  const out: [string, string][] = [];
  const walk = (value: unknown, path: string) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v !== 'object' || v === null))
        out.push([path, value.join(', ') || '(none)']);
      else value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else {
      out.push([path, String(value)]);
    }
  };
  for (const [k, v] of Object.entries(event)) if (!ENVELOPE.has(k)) walk(v, k);
  return out;
}

export interface DroneTrack {
  trackId: string;
  sensorId: string;
  points: [number, number][];
}

/** The positions of each drone track in the evidence, in time order (bearing-only observations have none). */
export function droneTracks(events: readonly SensorEvent[]): DroneTrack[] {
  const tracks = new Map<string, DroneTrack>();
  const sorted = [...events].sort((a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt));
  for (const e of sorted) {
    if (e.kind !== 'drone' || !e.position) continue;
    const key = `${e.sensorId}/${e.trackId}`;
    let t = tracks.get(key);
    if (!t) {
      t = { trackId: e.trackId, sensorId: e.sensorId, points: [] };
      tracks.set(key, t);
    }
    t.points.push([e.position.lat, e.position.lon]);
  }
  return [...tracks.values()];
}

export interface PilotPosition {
  uasId: string;
  lat: number;
  lon: number;
  observedAt: string;
}

/**
 * Where the pilot stands, from the newest drone report in the evidence whose Remote ID broadcast carries the
 * operator's position: the control room can send someone there, or tell the police.
 */
export function pilotPosition(events: readonly SensorEvent[]): PilotPosition | undefined {
  let newest: PilotPosition | undefined;
  for (const e of events) {
    if (e.kind !== 'drone' || e.remoteId?.operatorLat === undefined || e.remoteId.operatorLon === undefined)
      continue;
    if (newest && Date.parse(newest.observedAt) >= Date.parse(e.observedAt)) continue;
    newest = {
      uasId: e.remoteId.uasId,
      lat: e.remoteId.operatorLat,
      lon: e.remoteId.operatorLon,
      observedAt: e.observedAt,
    };
  }
  return newest;
}
