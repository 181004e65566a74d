import { pointInPolygon, type LatLon, type Polygon } from '@wachtpost/contracts';

const METRES_PER_DEGREE = 111_195;

/**
 * Distance in metres from a point to a polygon, 0 inside. An equirectangular projection around the point
 * is accurate to well under a metre at the scale of one institution.
 */
export function distanceToPolygonM(point: LatLon, polygon: Polygon): number {
  if (pointInPolygon(point, polygon)) return 0;
  const [lat0, lon0] = point;
  const cosLat = Math.cos((lat0 * Math.PI) / 180);
  const project = ([lat, lon]: LatLon): [number, number] => [
    (lon - lon0) * cosLat * METRES_PER_DEGREE,
    (lat - lat0) * METRES_PER_DEGREE,
  ];
  let best = Number.MAX_VALUE;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [ax, ay] = project(polygon[j]!);
    const [bx, by] = project(polygon[i]!);
    best = Math.min(best, distanceToSegment(ax, ay, bx, by));
  }
  return best;
}

/** Distance from the origin to segment a-b. */
function distanceToSegment(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const along = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSq));
  return Math.hypot(ax + along * dx, ay + along * dy);
}
