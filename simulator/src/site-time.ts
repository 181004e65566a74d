import { utcOffsetMs } from '@wachtpost/contracts';

/** Local wall-clock time of a site, daylight saving included (see utcOffsetMs). */
export interface LocalTime {
  /** Hour of the day with fraction, 0 <= hour < 24. */
  hour: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
  /** Offset from UTC in minutes (120 for CEST). */
  offsetMin: number;
}

export class SiteClock {
  constructor(readonly timeZone: string) {}

  /** Minutes the zone is ahead of UTC at `epochMs`. */
  offsetMin(epochMs: number): number {
    return Math.round(utcOffsetMs(this.timeZone, epochMs) / 60_000);
  }

  local(epochMs: number): LocalTime {
    const offsetMin = this.offsetMin(epochMs);
    const wall = new Date(epochMs + offsetMin * 60_000);
    return {
      hour: wall.getUTCHours() + wall.getUTCMinutes() / 60 + wall.getUTCSeconds() / 3600,
      weekday: wall.getUTCDay(),
      offsetMin,
    };
  }
}
