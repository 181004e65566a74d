import type { LatLon, Polygon, SiteModel, SiteSensor, Zone } from './site-model';

/** A zone as the rest of the system sees it: cells are zones too, whether or not the file lists them. */
export interface ResolvedZone {
  id: string;
  type: Zone['type'];
  wingIds: string[];
  cellId?: string;
  polygon?: Polygon;
}

/** Lookups over one site model, built once at load. */
export interface SiteIndex {
  site: SiteModel;
  wingOfCell: ReadonlyMap<string, string>;
  zones: ReadonlyMap<string, ResolvedZone>;
  sensors: ReadonlyMap<string, SiteSensor>;
  allowlist: ReadonlySet<string>;
}

export function indexSite(site: SiteModel): SiteIndex {
  const wingOfCell = new Map<string, string>();
  const zones = new Map<string, ResolvedZone>();
  for (const wing of site.wings) {
    for (const cell of wing.cells) {
      wingOfCell.set(cell, wing.id);
      zones.set(cell, { id: cell, type: 'cell', wingIds: [wing.id], cellId: cell });
    }
  }
  for (const zone of site.zones) {
    const listedCell = zone.type === 'cell' ? zones.get(zone.id) : undefined;
    zones.set(zone.id, {
      ...zone,
      ...(listedCell && { wingIds: listedCell.wingIds, cellId: zone.id }),
    });
  }
  return {
    site,
    wingOfCell,
    zones,
    sensors: new Map(site.sensors.map((s) => [s.id, s])),
    allowlist: new Set(site.allowlist.deviceKeys),
  };
}

/** Ray casting on lat/lon; fine at the scale of one institution. */
export function pointInPolygon([lat, lon]: LatLon, polygon: Polygon): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [latI, lonI] = polygon[i]!;
    const [latJ, lonJ] = polygon[j]!;
    if (lonI > lon !== lonJ > lon && lat < ((latJ - latI) * (lon - lonI)) / (lonJ - lonI) + latI)
      inside = !inside;
  }
  return inside;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function distanceM([lat1, lon1]: LatLon, [lat2, lon2]: LatLon): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface Location {
  inAirspace: boolean;
  /** The wing whose footprint holds the point. */
  wingId?: string;
  /** The zone (yard, corridor, ...) whose polygon holds the point. */
  zoneId?: string;
}

/** Maps a drone position onto the site: airspace, wing footprint, zone polygon. */
export function locate(index: SiteIndex, point: LatLon): Location {
  const location: Location = { inAirspace: pointInPolygon(point, index.site.airspace) };
  const wing = index.site.wings.find((w) => w.footprint && pointInPolygon(point, w.footprint));
  if (wing) location.wingId = wing.id;
  for (const zone of index.zones.values()) {
    if (zone.polygon && pointInPolygon(point, zone.polygon)) {
      location.zoneId = zone.id;
      break;
    }
  }
  return location;
}
