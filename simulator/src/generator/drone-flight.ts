import type { Rng } from '../rng';
import { bearingDeg, distance, offset, pointInside, pointOnOutline, type XY } from './geometry';

/** One second of a flight, in the site's local metre grid. */
export interface FlightSample {
  t: number;
  pos: XY;
  altM: number;
  groundSpeedMps: number;
  climbMps: number;
  headingDeg: number;
}

export interface Airframe {
  model: string;
  protocol: string;
  /** Centre frequencies of its radio link. */
  freqMHz: readonly number[];
  /** DJI's DroneID lets RF sensors decode position and operator location. */
  djiDroneId: boolean;
  cruiseMps: readonly [number, number];
}

/** Common smuggling airframes: small, cheap DJI models and home-built long-range craft. */
export const AIRFRAMES: readonly (readonly [Airframe, number])[] = [
  [
    {
      model: 'DJI Mini 3',
      protocol: 'OcuSync 3',
      freqMHz: [2437, 5785],
      djiDroneId: true,
      cruiseMps: [8, 14],
    },
    3,
  ],
  [
    {
      model: 'DJI Mini 4 Pro',
      protocol: 'OcuSync 4',
      freqMHz: [2437, 5785],
      djiDroneId: true,
      cruiseMps: [8, 15],
    },
    3,
  ],
  [
    {
      model: 'DJI Mavic 3',
      protocol: 'OcuSync 3+',
      freqMHz: [2437, 5785],
      djiDroneId: true,
      cruiseMps: [10, 18],
    },
    2,
  ],
  [
    {
      model: 'DJI Air 3',
      protocol: 'OcuSync 4',
      freqMHz: [2437, 5785],
      djiDroneId: true,
      cruiseMps: [10, 17],
    },
    1,
  ],
  [
    {
      model: 'Autel EVO Lite+',
      protocol: 'SkyLink 2',
      freqMHz: [2437, 5785],
      djiDroneId: false,
      cruiseMps: [9, 15],
    },
    1,
  ],
  [
    {
      model: 'home-built 7in',
      protocol: 'ExpressLRS',
      freqMHz: [868, 2440],
      djiDroneId: false,
      cruiseMps: [10, 20],
    },
    1,
  ],
];

export type FlightPurpose = 'yard-drop' | 'window-drop' | 'recon';

export interface FlightTarget {
  purpose: FlightPurpose;
  pos: XY;
  /** Seconds at the target; 0 for a pass. */
  hoverS: number;
  /** Height above ground while at the target (low for a drop). */
  hoverAltM: number;
}

export interface Flight {
  startAt: number;
  target: FlightTarget;
  airframe: Airframe;
  /** Where the pilot stands: take-off, landing and the controller's transmitter. */
  operator: XY;
  remoteId: boolean;
  uasId: string;
  samples: FlightSample[];
  /** Index range of the samples spent at the target; absent for a straight pass. */
  hover?: { first: number; last: number };
}

const CLIMB_MPS = 3;

type Leg = { to: XY; altM: number; speedMps: number } | { holdS: number; altM: number; jitterM: number };

/**
 * Flies a plan at 1 Hz: take off near the operator, cruise to the target, hover (a drop is made low over
 * a yard or against a cell window), fly back and land. Returns the samples and where the hover was.
 */
export function flyPlan(
  rng: Rng,
  startAt: number,
  operator: XY,
  legs: readonly Leg[],
): Pick<Flight, 'samples' | 'hover'> {
  const samples: FlightSample[] = [];
  let pos: XY = operator;
  let altM = 0;
  let heading = 0;
  let t = startAt;
  let hover: Flight['hover'];
  const push = (next: XY, nextAlt: number) => {
    const moved = distance(pos, next);
    if (moved > 0.3) heading = bearingDeg(pos, next);
    samples.push({
      t,
      pos: next,
      altM: nextAlt,
      groundSpeedMps: moved,
      climbMps: nextAlt - altM,
      headingDeg: heading,
    });
    pos = next;
    altM = nextAlt;
    t += 1000;
  };
  const towards = (target: number) => altM + Math.max(-CLIMB_MPS, Math.min(CLIMB_MPS, target - altM));
  push(pos, 0);
  for (const leg of legs) {
    if ('to' in leg) {
      for (let guard = 0; guard < 3600 && distance(pos, leg.to) > 0.5; guard++) {
        const d = distance(pos, leg.to);
        const step = Math.min(leg.speedMps, d);
        // Climb before cruising away from the ground.
        const go = altM < 10 && leg.altM > altM ? 0 : step;
        push(offset(pos, bearingDeg(pos, leg.to), go), towards(leg.altM));
      }
    } else {
      const anchor = pos;
      const first = samples.length;
      for (let s = 0; s < leg.holdS; s++) {
        const jitter = offset(anchor, rng.uniform(0, 360), rng.uniform(0, leg.jitterM));
        push(jitter, towards(leg.altM));
      }
      hover = { first, last: samples.length - 1 };
    }
  }
  while (altM > 0) push(pos, Math.max(0, altM - CLIMB_MPS));
  return { samples, hover };
}

export interface FlightSiteGeometry {
  /** Radius of the protected airspace around the grid origin. */
  airspaceRadiusM: number;
  airspace: readonly XY[];
  yards: readonly { zoneId: string; wingIds: readonly string[]; polygon: readonly XY[] }[];
  wings: readonly { wingId: string; footprint: readonly XY[] }[];
}

export interface PlannedTarget extends FlightTarget {
  wingId?: string;
  zoneId?: string;
}

/** Picks what a flight is for and where it goes, night-time flights favouring drops. */
export function pickTarget(
  rng: Rng,
  geometry: FlightSiteGeometry,
  deliveryShare: number,
  yardShare: number,
): PlannedTarget {
  const hoverAltM = rng.uniform(8, 25);
  if (rng.chance(deliveryShare)) {
    const yard = geometry.yards.length > 0 && rng.chance(yardShare) ? rng.pick(geometry.yards) : undefined;
    if (yard) {
      return {
        purpose: 'yard-drop',
        pos: pointInside(rng, yard.polygon),
        hoverS: Math.round(rng.uniform(30, 150)),
        hoverAltM,
        zoneId: yard.zoneId,
        ...(yard.wingIds.length > 0 && { wingId: rng.pick(yard.wingIds) }),
      };
    }
    const wing = geometry.wings.length > 0 ? rng.pick(geometry.wings) : undefined;
    if (wing) {
      return {
        purpose: 'window-drop',
        pos: pointOnOutline(rng, wing.footprint),
        hoverS: Math.round(rng.uniform(20, 90)),
        hoverAltM: rng.uniform(4, 15),
        wingId: wing.wingId,
      };
    }
  }
  // Reconnaissance: a look at the walls, sometimes a short hover, sometimes a straight pass.
  return {
    purpose: 'recon',
    pos: geometry.airspace.length > 2 ? pointInside(rng, geometry.airspace) : [0, 0],
    hoverS: rng.chance(0.5) ? Math.round(rng.uniform(10, 40)) : 0,
    hoverAltM: rng.uniform(40, 90),
  };
}

/** Plans a whole flight from take-off to landing. */
export function planFlight(
  rng: Rng,
  startAt: number,
  geometry: FlightSiteGeometry,
  target: FlightTarget,
  airframe: Airframe,
  remoteIdShare: number,
): Flight {
  const operator = offset([0, 0], rng.uniform(0, 360), geometry.airspaceRadiusM + rng.uniform(300, 1000));
  const speedMps = rng.uniform(airframe.cruiseMps[0], airframe.cruiseMps[1]);
  const cruiseAltM = rng.uniform(50, 110);
  const legs: Leg[] = [{ to: target.pos, altM: cruiseAltM, speedMps }];
  if (target.hoverS > 0) legs.push({ holdS: target.hoverS, altM: target.hoverAltM, jitterM: 1.5 });
  legs.push({ to: operator, altM: cruiseAltM, speedMps });
  const { samples, hover } = flyPlan(rng, startAt, operator, legs);
  return {
    startAt,
    target,
    airframe,
    operator,
    remoteId: rng.chance(remoteIdShare),
    uasId: airframe.djiDroneId ? `1581F${rng.base32(15)}` : `NLD${rng.base32(13)}`,
    samples,
    hover,
  };
}
