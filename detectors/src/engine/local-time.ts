import { utcOffsetMs } from '@wachtpost/contracts';
import { DAY, HOUR, type EpochMs } from './time';

export { utcOffsetMs };

export interface LocalHour {
  /** Local calendar day as days since 1970-01-01. */
  day: number;
  /** Local hour of the day, 0-23. */
  hour: number;
}

export function localHour(timeZone: string, t: EpochMs): LocalHour {
  const wall = t + utcOffsetMs(timeZone, t);
  const day = Math.floor(wall / DAY);
  return { day, hour: Math.floor((wall - day * DAY) / HOUR) };
}

export interface NightHours {
  /** Local hour a night starts (22 = 22:00). */
  startHour: number;
  /** Local hour a night ends (6 = 06:00, exclusive). */
  endHour: number;
}

/**
 * The night `t` falls in, named by the local day on which it starts, or null in daytime. Working on
 * local wall hours makes the night of a DST change as long as the clocks say (9 h on 2026-10-25 in
 * Europe/Amsterdam, 7 h on 2026-03-29).
 */
export function nightOf(timeZone: string, t: EpochMs, hours: NightHours): number | null {
  const { day, hour } = localHour(timeZone, t);
  if (hours.startHour > hours.endHour) {
    if (hour >= hours.startHour) return day;
    if (hour < hours.endHour) return day - 1;
    return null;
  }
  // A night that does not wrap midnight (e.g. 00:00-06:00) belongs to the day it is on.
  return hour >= hours.startHour && hour < hours.endHour ? day : null;
}

/** YYYY-MM-DD of a local day number. */
export function formatDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}
