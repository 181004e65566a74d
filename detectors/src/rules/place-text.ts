import type { Place, SiteView } from '../engine/site-view';

/** The wing an alert about a drone position belongs to: the footprint under it, or the only user of its yard. */
export function wingUnder(view: SiteView, place: Place | null): string | undefined {
  if (!place) return undefined;
  if (place.wingId) return place.wingId;
  if (place.yardId) {
    const users = view.wingsOfZone(place.yardId);
    if (users.length === 1) return users[0];
  }
  return undefined;
}

/** Names the place for a title: the wing, the yard, or just the airspace. */
export function describePlace(view: SiteView, place: Place | null): string {
  if (place?.wingId) return view.describeWing(place.wingId);
  if (place?.yardId) return `yard ${place.yardId}`;
  return 'the site airspace';
}

/** The cells a set of zones covers, and the wing when they all lie in one. */
export function placeOfZones(
  view: SiteView,
  zoneIds: readonly string[],
): { wingId?: string; cellIds: string[] } {
  const cellIds = zoneIds.filter((z) => view.isCell(z)).sort();
  const wings = new Set(zoneIds.flatMap((z) => view.wingsOfZone(z)));
  const [only] = wings;
  return wings.size === 1 && only !== undefined ? { wingId: only, cellIds } : { cellIds };
}
