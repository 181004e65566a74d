import type { LatLon, Polygon } from '@wachtpost/contracts';
import type { Rng } from '../rng';

export type XY = readonly [x: number, y: number];

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQUATOR = 111_320;

/**
 * A flat east/north metre grid around the site. Over a few kilometres the error is centimetres, and it lets
 * flight paths and sensor ranges be plain vector arithmetic.
 */
export class LocalGrid {
  private readonly mPerDegLon: number;

  constructor(readonly origin: LatLon) {
    this.mPerDegLon = M_PER_DEG_LON_EQUATOR * Math.cos((origin[0] * Math.PI) / 180);
  }

  static around(polygon: Polygon): LocalGrid {
    return new LocalGrid(centroid(polygon));
  }

  toXY([lat, lon]: LatLon): XY {
    return [(lon - this.origin[1]) * this.mPerDegLon, (lat - this.origin[0]) * M_PER_DEG_LAT];
  }

  toLatLon([x, y]: XY): LatLon {
    return [this.origin[0] + y / M_PER_DEG_LAT, this.origin[1] + x / this.mPerDegLon];
  }
}

/** Mean of the vertices: good enough as a centre for the convex shapes of a site model. */
export function centroid(polygon: Polygon): LatLon {
  const lat = polygon.reduce((s, p) => s + p[0], 0) / polygon.length;
  const lon = polygon.reduce((s, p) => s + p[1], 0) / polygon.length;
  return [lat, lon];
}

export const distance = (a: XY, b: XY): number => Math.hypot(b[0] - a[0], b[1] - a[1]);

/** Compass bearing from `from` to `to` in degrees, 0 = north, clockwise, in [0, 360). */
export function bearingDeg(from: XY, to: XY): number {
  const deg = (Math.atan2(to[0] - from[0], to[1] - from[1]) * 180) / Math.PI;
  return normaliseDeg(deg);
}

export function normaliseDeg(deg: number): number {
  const d = ((deg % 360) + 360) % 360;
  // Rounding can turn 359.99999 into 360, which the contract excludes.
  return d >= 360 ? 0 : d;
}

/** Moves `distanceM` metres from `from` towards compass bearing `deg`. */
export function offset(from: XY, deg: number, distanceM: number): XY {
  const rad = (deg * Math.PI) / 180;
  return [from[0] + Math.sin(rad) * distanceM, from[1] + Math.cos(rad) * distanceM];
}

function insidePolygon([x, y]: XY, polygon: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A uniform random point inside a polygon (rejection sampling in its bounding box). */
export function pointInside(rng: Rng, polygon: readonly XY[]): XY {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (let i = 0; i < 100; i++) {
    const p: XY = [rng.uniform(minX, maxX), rng.uniform(minY, maxY)];
    if (insidePolygon(p, polygon)) return p;
  }
  const c = polygon.reduce<[number, number]>((s, p) => [s[0] + p[0], s[1] + p[1]], [0, 0]);
  return [c[0] / polygon.length, c[1] / polygon.length];
}

/** A random point on the outline of a polygon: a window on a wing's facade. */
export function pointOnOutline(rng: Rng, polygon: readonly XY[]): XY {
  const i = rng.int(0, polygon.length - 1);
  const a = polygon[i]!;
  const b = polygon[(i + 1) % polygon.length]!;
  const f = rng.float();
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

/** Radius of the circle around the centre that holds the polygon. */
export function extentM(polygon: readonly XY[], centre: XY = [0, 0]): number {
  return Math.max(...polygon.map((p) => distance(centre, p)));
}
