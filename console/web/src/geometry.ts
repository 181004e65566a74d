// Site plan projection: lat/lon to SVG user units. An institution spans a kilometre or two, so an
// equirectangular projection scaled by cos(latitude) is accurate to well under a metre there.
import type { SiteModel } from './types';

export type LatLon = readonly [number, number];
export interface Point {
  x: number;
  y: number;
}

export interface Projection {
  width: number;
  height: number;
  project: (p: LatLon) => Point;
}

/** Fits every given point into a `width`-wide box (height follows the aspect) with `pad` units around. */
export function fitProjection(points: readonly LatLon[], width = 1000, pad = 20): Projection {
  if (points.length === 0)
    return { width, height: width / 2, project: () => ({ x: width / 2, y: width / 4 }) };
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const [lat, lon] of points) {
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
  }
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const scale = (width - 2 * pad) / spanX;
  const height = Math.round(spanY * scale + 2 * pad);
  return {
    width,
    height,
    // North up: y grows as latitude falls.
    project: ([lat, lon]) => ({ x: pad + (lon - minLon) * k * scale, y: pad + (maxLat - lat) * scale }),
  };
}

const r = (n: number) => Math.round(n * 10) / 10;

/** An SVG `points` attribute for a polygon. */
export function svgPoints(polygon: readonly LatLon[], project: Projection['project']): string {
  return polygon
    .map((p) => {
      const { x, y } = project(p);
      return `${r(x)},${r(y)}`;
    })
    .join(' ');
}

/** Everything the plan draws, so the projection frames all of it. */
export function sitePoints(site: SiteModel, extra: readonly LatLon[] = []): LatLon[] {
  return [
    ...site.airspace,
    ...site.wings.flatMap((w) => w.footprint ?? []),
    ...site.zones.flatMap((z) => z.polygon ?? []),
    ...extra,
  ];
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function boundingBox(points: readonly Point[]): Box {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

/**
 * Site models rarely draw cells; a wing's cells are then laid out schematically as a grid inside its
 * footprint's bounding box, in list order, so a named cell can still be pointed at.
 */
export function cellGrid(box: Box, count: number, gap = 1): Box[] {
  if (count <= 0) return [];
  const cols = Math.max(1, Math.ceil(Math.sqrt((count * box.width) / Math.max(box.height, 1e-9))));
  const rows = Math.ceil(count / cols);
  const w = box.width / cols;
  const h = box.height / rows;
  return Array.from({ length: count }, (_, i) => ({
    x: box.x + (i % cols) * w + gap / 2,
    y: box.y + Math.floor(i / cols) * h + gap / 2,
    width: Math.max(w - gap, 0.5),
    height: Math.max(h - gap, 0.5),
  }));
}
