/**
 * Local wall-clock time of a site, from the IANA zone through Intl, so daylight saving is always right.
 * Formatting is slow, so offsets are cached per quarter hour: every zone in use changes its offset on a
 * quarter-hour boundary.
 */
const QUARTER_HOUR_MS = 15 * 60_000;

export interface LocalTime {
  /** Hour of the day with fraction, 0 <= hour < 24. */
  hour: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
  /** Offset from UTC in minutes (120 for CEST). */
  offsetMin: number;
}

export class SiteClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Minutes the zone is ahead of UTC at `epochMs`. */
  offsetMin(epochMs: number): number {
    const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const start = bucket * QUARTER_HOUR_MS;
      const parts: Record<string, number> = {};
      for (const p of this.format.formatToParts(start))
        if (p.type !== 'literal') parts[p.type] = Number(p.value);
      const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
      offset = Math.round((wall - start) / 60_000);
      if (this.offsets.size > 50_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
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
