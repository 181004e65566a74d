import {
  indexSite,
  pointInPolygon,
  type LatLon,
  type ResolvedZone,
  type SiteIndex,
  type SiteModel,
} from '@wachtpost/contracts';
import { distanceToPolygonM } from './geo';

/** Where a drone position lies on the site. */
export interface Place {
  inAirspace: boolean;
  /** The wing whose footprint holds the point. */
  wingId?: string;
  /** The yard whose polygon holds the point. */
  yardId?: string;
}

/**
 * Read-only lookups over one site model that the rules need, built once when the engine is created.
 * Never part of the engine state: the state holds only what events taught the engine.
 */
export interface SiteView {
  readonly id: string;
  readonly timeZone: string;
  readonly index: SiteIndex;
  zone(zoneId: string): ResolvedZone | undefined;
  isCell(zoneId: string): boolean;
  wingOfCell(cellId: string): string | undefined;
  /** Wings a zone belongs to (a cell's wing, a yard's users). */
  wingsOfZone(zoneId: string): readonly string[];
  /** Sensors whose zoneIds include the zone. */
  sensorsCovering(zoneId: string): readonly string[];
  place(point: LatLon): Place;
  /** Wings the point is over or near: their footprint within `nearM`, or a yard they use. */
  wingsNear(point: LatLon, nearM: number): string[];
  describeWing(wingId: string): string;
  isAllowlisted(deviceKey: string | undefined): boolean;
}

export function createSiteView(site: SiteModel | SiteIndex): SiteView {
  const index = 'wingOfCell' in site ? site : indexSite(site);
  const model = index.site;
  const sensorsByZone = new Map<string, string[]>();
  for (const sensor of model.sensors) {
    for (const zoneId of sensor.zoneIds) {
      const list = sensorsByZone.get(zoneId) ?? [];
      list.push(sensor.id);
      sensorsByZone.set(zoneId, list);
    }
  }
  const yards = [...index.zones.values()].filter((z) => z.type === 'yard' && z.polygon);
  const wingNames = new Map(model.wings.map((w) => [w.id, w.name]));
  const none: readonly string[] = [];

  return {
    id: model.id,
    timeZone: model.timezone,
    index,
    zone: (zoneId) => index.zones.get(zoneId),
    isCell: (zoneId) => index.wingOfCell.has(zoneId),
    wingOfCell: (cellId) => index.wingOfCell.get(cellId),
    wingsOfZone: (zoneId) => index.zones.get(zoneId)?.wingIds ?? none,
    sensorsCovering: (zoneId) => sensorsByZone.get(zoneId) ?? none,
    place(point) {
      const place: Place = { inAirspace: pointInPolygon(point, model.airspace) };
      const wing = model.wings.find((w) => w.footprint && pointInPolygon(point, w.footprint));
      if (wing) place.wingId = wing.id;
      const yard = yards.find((z) => pointInPolygon(point, z.polygon!));
      if (yard) place.yardId = yard.id;
      return place;
    },
    wingsNear(point, nearM) {
      const near = new Set<string>();
      for (const wing of model.wings) {
        if (wing.footprint && distanceToPolygonM(point, wing.footprint) <= nearM) near.add(wing.id);
      }
      for (const yard of yards) {
        if (pointInPolygon(point, yard.polygon!)) yard.wingIds.forEach((w) => near.add(w));
      }
      return [...near].sort();
    },
    describeWing: (wingId) => wingNames.get(wingId) ?? wingId,
    isAllowlisted: (deviceKey) => deviceKey !== undefined && index.allowlist.has(deviceKey),
  };
}
