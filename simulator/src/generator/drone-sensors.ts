import type { DroneEvent, SiteSensor } from '@wachtpost/contracts';
import type { Rng } from '../rng';
import type { Flight, FlightSample } from './drone-flight';
import { bearingDeg, distance, normaliseDeg, offset, type LocalGrid, type XY } from './geometry';
import type { Draft } from './simulation';

type Detection = DroneEvent['detection'];

/** What a drone sensor can do; the site model only lists it, so its type is read from its id. */
export interface DroneSensorModel {
  sensor: SiteSensor;
  detection: Detection;
  pos: XY;
  rangeM: number;
  /** Chance that it picks up a flight that comes within range at all. */
  pDetect: number;
}

/** Matched against each dash-separated part of a sensor id, first rule first. */
const BY_ID: readonly (readonly [RegExp, Detection, number, number])[] = [
  [/^radar/, 'radar', 2500, 0.95],
  [/^(rid|remote)/, 'remote-id', 1000, 1],
  [/^(cam|camera|vision|eo|ir|eoir)$/, 'vision', 400, 0.7],
  [/^(acoustic|audio|mic)/, 'acoustic', 250, 0.7],
  [/^fus/, 'fused', 3000, 0.98],
  [/^(rf|sdr)/, 'rf', 3000, 0.9],
];

/**
 * Places the site's drone sensors on a ring inside the airspace (the site model gives them no position)
 * and infers their detection type from the id (radar-1, rf-2, rid-1, north-cam, ...; anything else is RF).
 */
export function droneSensorModels(
  sensors: readonly SiteSensor[],
  airspaceRadiusM: number,
): DroneSensorModel[] {
  const drones = sensors.filter((s) => s.kind === 'drone');
  return drones.map((sensor, i) => {
    const parts = sensor.id.split('-');
    const rule = BY_ID.find(([re]) => parts.some((part) => re.test(part)));
    const [, detection, rangeM, pDetect] = rule ?? [/./, 'rf', 3000, 0.9];
    const pos = offset([0, 0], 45 + (360 * i) / drones.length, airspaceRadiusM * 0.4);
    return { sensor, detection, pos, rangeM, pDetect };
  });
}

export interface TrackPlan {
  sensor: DroneSensorModel;
  trackId: string;
  category: 'drone' | 'controller';
  /** The flight samples this sensor reports, in order. */
  samples: readonly FlightSample[];
  /** Milliseconds this sensor's clock ticks after the flight's whole seconds. */
  offsetMs: number;
  freqMHz: number;
  /** Whether this sensor decodes DJI DroneID frames of this flight (then RF gives position too). */
  decodesDroneId: boolean;
}

const slant = (sensor: XY, s: FlightSample) => Math.hypot(distance(sensor, s.pos), s.altM);

/**
 * Which sensors see which part of a flight. A sensor sees the drone while it is in range; leaving range for
 * more than a few seconds ends the track and a return starts a new one. RF sensors may also pick up the
 * controller's uplink, a separate track on the operator.
 */
export function planTracks(rng: Rng, flight: Flight, models: readonly DroneSensorModel[]): TrackPlan[] {
  const tracks: TrackPlan[] = [];
  for (const model of models) {
    if (model.detection === 'remote-id' && !flight.remoteId) continue;
    if (!rng.chance(model.pDetect)) continue;
    const offsetMs = rng.int(0, 999);
    const freqMHz = rng.pick(flight.airframe.freqMHz);
    // Newer links hide DroneID from some receivers: about half the RF tracks of a DJI flight are decoded.
    const decodesDroneId = flight.airframe.djiDroneId && rng.chance(0.5);
    let run: FlightSample[] = [];
    let gap = 0;
    const close = () => {
      if (run.length >= 2) {
        const id = trackId(rng, model);
        tracks.push({
          sensor: model,
          trackId: id,
          category: 'drone',
          samples: run,
          offsetMs,
          freqMHz,
          decodesDroneId,
        });
      }
      run = [];
    };
    for (const s of flight.samples) {
      if (slant(model.pos, s) <= model.rangeM && s.altM > 0) {
        run.push(s);
        gap = 0;
      } else if (run.length > 0 && ++gap > 3) {
        close();
      }
    }
    close();
    if (
      model.detection === 'rf' &&
      distance(model.pos, flight.operator) <= model.rangeM &&
      rng.chance(0.35)
    ) {
      const samples = flight.samples.map((s) => ({
        ...s,
        pos: flight.operator,
        altM: 1.5,
        groundSpeedMps: 0,
        climbMps: 0,
      }));
      const id = trackId(rng, model);
      tracks.push({
        sensor: model,
        trackId: id,
        category: 'controller',
        samples,
        offsetMs,
        freqMHz,
        decodesDroneId,
      });
    }
  }
  return tracks;
}

function trackId(rng: Rng, model: DroneSensorModel): string {
  return `${model.sensor.id}-${rng.base32(8).toLowerCase()}`;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const angle = (deg: number) => {
  const r = round(normaliseDeg(deg), 1);
  return r >= 360 ? 0 : r;
};

/** Free-space received power of a ~20 dBm drone link at the given slant range. */
function rssiAt(distanceM: number, freqMHz: number): number {
  const fspl = 20 * Math.log10(Math.max(distanceM, 1)) + 20 * Math.log10(freqMHz) - 27.55;
  return Math.round(Math.max(-140, Math.min(-20, 20 - fspl)));
}

/** The event one sensor reports for sample `i` of its track. */
export function observe(rng: Rng, grid: LocalGrid, flight: Flight, track: TrackPlan, i: number): Draft {
  const s = track.samples[i]!;
  const sensor = track.sensor;
  const { detection } = sensor;
  const phase: DroneEvent['phase'] = i === 0 ? 'start' : i === track.samples.length - 1 ? 'end' : 'update';
  const range = slant(sensor.pos, s);
  const positioned = (accuracyM: number) => {
    const [lat, lon] = grid.toLatLon(offset(s.pos, rng.uniform(0, 360), Math.abs(rng.normal(0, accuracyM))));
    return {
      position: {
        lat: round(lat, 6),
        lon: round(lon, 6),
        altM: round(Math.max(0, s.altM + rng.normal(0, accuracyM / 3)), 1),
        accuracyM,
      },
    };
  };
  const kinematics = {
    groundSpeedMps: round(Math.max(0, s.groundSpeedMps + rng.normal(0, 0.3)), 1),
    climbMps: round(s.climbMps + rng.normal(0, 0.2), 1),
    headingDeg: angle(s.headingDeg + rng.normal(0, 2)),
  };
  const operator = () => {
    const [operatorLat, operatorLon] = grid.toLatLon(flight.operator);
    return {
      remoteId: {
        uasId: flight.uasId,
        operatorLat: round(operatorLat, 6),
        operatorLon: round(operatorLon, 6),
      },
    };
  };
  const base = {
    kind: 'drone' as const,
    sensorId: sensor.sensor.id,
    trackId: track.trackId,
    phase,
    detection,
  };

  if (track.category === 'controller') {
    return {
      ...base,
      category: 'controller',
      classification: { protocol: flight.airframe.protocol, confidence: round(rng.uniform(0.7, 0.95), 2) },
      bearingDeg: angle(bearingDeg(sensor.pos, s.pos) + rng.normal(0, 4)),
      rssiDbm: rssiAt(range, track.freqMHz),
      freqMHz: track.freqMHz,
    };
  }
  const confidence = (a: number, b: number) => round(rng.uniform(a, b), 2);
  switch (detection) {
    case 'radar':
      return {
        ...base,
        category: 'drone',
        classification: { confidence: confidence(0.55, 0.85) },
        ...positioned(12),
        ...kinematics,
      };
    case 'remote-id':
      return {
        ...base,
        category: 'drone',
        ...positioned(3),
        ...kinematics,
        ...operator(),
        rssiDbm: rssiAt(range, 2437),
        freqMHz: 2437,
      };
    case 'vision':
      return {
        ...base,
        category: 'drone',
        classification: { confidence: confidence(0.6, 0.9) },
        bearingDeg: angle(bearingDeg(sensor.pos, s.pos) + rng.normal(0, 1)),
        ...positioned(20),
      };
    case 'acoustic':
      return {
        ...base,
        category: 'drone',
        classification: { confidence: confidence(0.4, 0.7) },
        bearingDeg: angle(bearingDeg(sensor.pos, s.pos) + rng.normal(0, 8)),
      };
    case 'fused':
      return {
        ...base,
        category: 'drone',
        classification: { model: flight.airframe.model, confidence: confidence(0.8, 0.97) },
        ...positioned(5),
        ...kinematics,
      };
    case 'rf': {
      // Bearing only, unless the link is DJI's, whose DroneID frames carry position and the pilot's location.
      const decoded = track.decodesDroneId ? { ...positioned(5), ...kinematics, ...operator() } : {};
      return {
        ...base,
        category: 'drone',
        classification: {
          model: flight.airframe.model,
          protocol: flight.airframe.protocol,
          confidence: confidence(0.85, 0.98),
        },
        bearingDeg: angle(bearingDeg(sensor.pos, s.pos) + rng.normal(0, 3)),
        rssiDbm: rssiAt(range, track.freqMHz),
        freqMHz: track.freqMHz,
        ...decoded,
      };
    }
  }
}
