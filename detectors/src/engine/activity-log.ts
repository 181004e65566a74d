import { dget, dgetOrSet, type Dict } from './dict';
import { HOUR, type EpochMs } from './time';

/** One GSM burst as the rules look back on it. `night` is the local night it fell in, or null. */
export type ActivityEntry = [
  t: EpochMs,
  eventId: string,
  deviceKey: string | null,
  night: number | null,
  sensorId: string,
];

export interface ZoneActivity {
  /** Latest activity time; kept for every zone, without limit, because "quiet for N days" needs it. */
  last: EpochMs | null;
  /** Cell zones only: every burst of the recent horizon, in time order. */
  recent: ActivityEntry[];
  /** Cell zones only: epoch hours with activity over the long horizon (30-day look-backs). */
  hours: number[];
}

/**
 * Per-zone history of non-allowlisted GSM activity, shared by the GSM rules. Rules read it as it was
 * before the event they are handling; the engine records the event after all rules have seen it.
 */
export interface ActivityState {
  zones: Dict<ZoneActivity>;
}

export const emptyActivity = (): ActivityState => ({ zones: {} });

/** Bounds memory when a cell is very busy; the look-backs need presence, not every burst. */
const MAX_RECENT = 2000;

export function recordActivity(
  state: ActivityState,
  zoneId: string,
  detailed: boolean,
  entry: ActivityEntry,
): void {
  const zone = dgetOrSet(state.zones, zoneId, () => ({ last: null, recent: [], hours: [] }));
  const t = entry[0];
  if (zone.last === null || t > zone.last) zone.last = t;
  if (!detailed) return;
  let i = zone.recent.length;
  while (i > 0 && zone.recent[i - 1]![0] > t) i--;
  zone.recent.splice(i, 0, entry);
  if (zone.recent.length > MAX_RECENT) zone.recent.shift();
  const hour = Math.floor(t / HOUR);
  let h = zone.hours.length;
  while (h > 0 && zone.hours[h - 1]! > hour) h--;
  if (zone.hours[h - 1] !== hour) zone.hours.splice(h, 0, hour);
}

export function lastActivity(state: ActivityState, zoneId: string): EpochMs | null {
  return dget(state.zones, zoneId)?.last ?? null;
}

/** Recent entries of a cell zone with after < t <= upTo. */
export function entriesBetween(
  state: ActivityState,
  zoneId: string,
  after: EpochMs,
  upTo: EpochMs,
): ActivityEntry[] {
  return (dget(state.zones, zoneId)?.recent ?? []).filter((e) => e[0] > after && e[0] <= upTo);
}

/**
 * Latest activity in a zone strictly before `before`: exact within the recent horizon, to the hour
 * beyond it (a whole hour with activity that ended before `before`).
 */
export function lastActivityBefore(state: ActivityState, zoneId: string, before: EpochMs): EpochMs | null {
  const zone = dget(state.zones, zoneId);
  if (!zone || zone.last === null) return null;
  if (zone.last < before) return zone.last;
  for (let i = zone.recent.length - 1; i >= 0; i--) {
    if (zone.recent[i]![0] < before) return zone.recent[i]![0];
  }
  for (let i = zone.hours.length - 1; i >= 0; i--) {
    const start = zone.hours[i]! * HOUR;
    if (start + HOUR <= before) return start;
  }
  return null;
}

/** Forgets detail older than the horizons; `last` stays. */
export function pruneActivity(state: ActivityState, recentBefore: EpochMs, hoursBefore: EpochMs): void {
  const hour = Math.floor(hoursBefore / HOUR);
  for (const zone of Object.values(state.zones)) {
    if (zone.recent.length > 0 && zone.recent[0]![0] < recentBefore) {
      zone.recent = zone.recent.filter((e) => e[0] >= recentBefore);
    }
    if (zone.hours.length > 0 && zone.hours[0]! < hour) zone.hours = zone.hours.filter((h) => h >= hour);
  }
}
