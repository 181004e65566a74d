import { distanceM, type DroneEvent, type LatLon } from '@wachtpost/contracts';
import { ddel, dget, dset, type Dict } from './dict';
import type { Place, SiteView } from './site-view';
import { SECOND, type EpochMs } from './time';

/** One position of a track: time, place, height, speed (reported or derived), event, over a yard or wing. */
export type TrackPoint = [
  t: EpochMs,
  lat: number,
  lon: number,
  altM: number | null,
  speedMps: number | null,
  eventId: string,
  overTarget: 0 | 1,
];

export interface Track {
  sensorId: string;
  /** The incident the track belongs to once it entered the airspace. */
  incident: string | null;
  points: TrackPoint[];
  /** The latest bearing-only reports, which leave no point, in time order, so that their repeats are known too. */
  bearings?: [t: EpochMs, eventId: string][];
  lastAt: EpochMs;
}

/** Tracks from one or more sensors that are the same drone: one alert. */
export interface Incident {
  firstAt: EpochMs;
  lastAt: EpochMs;
  tracks: string[];
  /**
   * Start of the current pass: the first report, or the first after `incidentGapS` without any (absent on
   * states written before: `firstAt`). A pass that starts after the operator closed the alert is news.
   */
  since?: EpochMs;
  /** Recent positions for fusing other sensors' tracks into this incident. */
  recent: [t: EpochMs, lat: number, lon: number][];
}

export interface DroneState {
  tracks: Dict<Track>;
  incidents: Dict<Incident>;
}

export const emptyDrones = (): DroneState => ({ tracks: {}, incidents: {} });

export interface FusionParams {
  fusionWindowS: number;
  fusionDistanceM: number;
  incidentGapS: number;
}

export interface DroneObservation {
  trackKey: string;
  track: Track;
  incidentKey: string | null;
  /** The event's position as a point, or null for bearing-only reports. */
  point: TrackPoint | null;
  /** Where the point is; for a bearing-only report, where the track was last placed. */
  place: Place | null;
}

const MAX_POINTS = 300;
const MAX_RECENT = 100;

export const trackKeyOf = (ev: DroneEvent) => `${ev.sensorId}/${ev.trackId}`;

export function isOverTarget(place: Place): boolean {
  return place.yardId !== undefined || place.wingId !== undefined;
}

/**
 * Adds one drone report to its track and, once the track is in the airspace, to an incident: an existing
 * one when another track was within the fusion window and distance, else a new one named after the track.
 */
export function observeDrone(
  state: DroneState,
  view: SiteView,
  fusion: FusionParams,
  ev: DroneEvent,
  t: EpochMs,
): DroneObservation {
  const trackKey = trackKeyOf(ev);
  let track = dget(state.tracks, trackKey);
  if (!track) {
    track = { sensorId: ev.sensorId, incident: null, points: [], lastAt: t };
    dset(state.tracks, trackKey, track);
  }
  track.lastAt = Math.max(track.lastAt, t);
  let point: TrackPoint | null = null;
  let place: Place | null = null;
  if (ev.position) {
    const latLon: LatLon = [ev.position.lat, ev.position.lon];
    place = view.place(latLon);
    point = insertPoint(track, ev, t, latLon, place);
    if (!track.incident && place.inAirspace) track.incident = joinOrOpen(state, fusion, trackKey, t, latLon);
  } else {
    // Bearing-only reports keep the alert over the place the track was last seen.
    const bearings = (track.bearings ??= []);
    let i = bearings.length;
    while (i > 0 && bearings[i - 1]![0] > t) i--;
    bearings.splice(i, 0, [t, ev.eventId]);
    if (bearings.length > MAX_POINTS) bearings.shift();
    const latest = track.points.at(-1);
    if (latest) place = view.place([latest[1], latest[2]]);
  }
  const incidentKey = track.incident;
  if (incidentKey) {
    const incident = dget(state.incidents, incidentKey);
    if (incident) {
      if (t - incident.lastAt >= fusion.incidentGapS * SECOND) incident.since = t;
      incident.firstAt = Math.min(incident.firstAt, t);
      incident.lastAt = Math.max(incident.lastAt, t);
      if (point) {
        incident.recent.push([t, point[1], point[2]]);
        if (incident.recent.length > MAX_RECENT) incident.recent.shift();
      }
    }
  }
  return { trackKey, track, incidentKey, point, place };
}

function insertPoint(track: Track, ev: DroneEvent, t: EpochMs, [lat, lon]: LatLon, place: Place): TrackPoint {
  const points = track.points;
  let i = points.length;
  while (i > 0 && points[i - 1]![0] > t) i--;
  const previous = points[i - 1];
  // RF and radar sensors often leave speed out; derive it from the previous position when they do.
  const derived =
    previous && t > previous[0]
      ? distanceM([previous[1], previous[2]], [lat, lon]) / ((t - previous[0]) / SECOND)
      : null;
  const point: TrackPoint = [
    t,
    lat,
    lon,
    ev.position?.altM ?? null,
    ev.groundSpeedMps ?? derived,
    ev.eventId,
    isOverTarget(place) ? 1 : 0,
  ];
  points.splice(i, 0, point);
  if (points.length > MAX_POINTS) points.shift();
  return point;
}

/**
 * Whether the report's track already holds it: a repeat, recognised among the track's latest
 * `MAX_POINTS` positions or bearing-only reports instead of by an hour of remembered ids.
 */
export function holdsDroneReport(state: DroneState, ev: DroneEvent, t: EpochMs): boolean {
  const track = dget(state.tracks, trackKeyOf(ev));
  if (!track) return false;
  return ev.position
    ? holdsAt(track.points, 5, t, ev.eventId)
    : holdsAt(track.bearings ?? [], 1, t, ev.eventId);
}

/** Whether a list in time order holds the event (its id at `idAt`): only the entries at its time need a look. */
function holdsAt(
  list: readonly (readonly [EpochMs, ...unknown[]])[],
  idAt: number,
  t: EpochMs,
  eventId: string,
): boolean {
  for (let i = list.length - 1; i >= 0 && list[i]![0] >= t; i--) {
    if (list[i]![0] === t && list[i]![idAt] === eventId) return true;
  }
  return false;
}

function joinOrOpen(
  state: DroneState,
  fusion: FusionParams,
  trackKey: string,
  t: EpochMs,
  at: LatLon,
): string {
  const windowMs = fusion.fusionWindowS * SECOND;
  const sensorPrefix = `${trackKey.slice(0, trackKey.indexOf('/'))}/`;
  const candidates = Object.keys(state.incidents).sort();
  for (const key of candidates) {
    const incident = state.incidents[key]!;
    const close =
      incident.recent.some(
        ([pt, lat, lon]) =>
          Math.abs(pt - t) <= windowMs && distanceM([lat, lon], at) <= fusion.fusionDistanceM,
      ) || reacquired(incident, sensorPrefix, fusion, t, at);
    if (close) {
      incident.tracks.push(trackKey);
      return key;
    }
  }
  const existing = dget(state.incidents, trackKey);
  if (existing) {
    if (!existing.tracks.includes(trackKey)) existing.tracks.push(trackKey);
    return trackKey;
  }
  dset(state.incidents, trackKey, { firstAt: t, lastAt: t, since: t, tracks: [trackKey], recent: [] });
  return trackKey;
}

/**
 * A sensor that lost a drone and picked it up again under a new track id, where it lost it, while the
 * incident is not yet closed (`incidentGapS`): the same drone. Radar tracks drop for tens of seconds
 * behind buildings, and each re-acquisition beyond the fusion window paged as a new incursion.
 */
function reacquired(
  incident: Incident,
  sensorPrefix: string,
  fusion: FusionParams,
  t: EpochMs,
  at: LatLon,
): boolean {
  const last = incident.recent.at(-1);
  return (
    last !== undefined &&
    t >= incident.lastAt &&
    t - incident.lastAt <= fusion.incidentGapS * SECOND &&
    incident.tracks.some((k) => k.startsWith(sensorPrefix)) &&
    distanceM([last[1], last[2]], at) <= fusion.fusionDistanceM
  );
}

/** Forgets tracks and incidents quiet since before `before`. */
export function pruneDrones(state: DroneState, before: EpochMs): void {
  for (const [key, track] of Object.entries(state.tracks)) {
    if (track.lastAt < before) ddel(state.tracks, key);
  }
  for (const [key, incident] of Object.entries(state.incidents)) {
    if (incident.lastAt < before) ddel(state.incidents, key);
  }
}
