import { DAY, HOUR, MINUTE, type EpochMs } from './time';

/**
 * Local wall-clock time of a site through Intl, so daylight saving is always right. Formatting is slow,
 * so offsets are memoised per quarter hour (every zone in use changes its offset on a quarter-hour
 * boundary). The memo never changes a result, so the functions stay pure.
 */
const QUARTER_HOUR = 15 * MINUTE;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Milliseconds the zone is ahead of UTC at `t` (7_200_000 for CEST). */
export function utcOffsetMs(timeZone: string, t: EpochMs): number {
  const bucket = Math.floor(t / QUARTER_HOUR);
  const memoKey = `${timeZone}|${bucket}`;
  let offset = offsets.get(memoKey);
  if (offset === undefined) {
    const start = bucket * QUARTER_HOUR;
    const parts: Record<string, number> = {};
    for (const p of formatter(timeZone).formatToParts(start))
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
    offset = wall - start;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(memoKey, offset);
  }
  return offset;
}

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
