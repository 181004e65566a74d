/**
 * How far a site's time zone is ahead of UTC, through Intl, so daylight saving is always right. Formatting is
 * slow, so offsets are memoised per quarter hour (every zone in use changes its offset on a quarter-hour
 * boundary). The memo never changes a result, so callers stay pure.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
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

/** Milliseconds `timeZone` is ahead of UTC at epoch `t` (7_200_000 for CEST). */
export function utcOffsetMs(timeZone: string, t: number): number {
  const bucket = Math.floor(t / QUARTER_HOUR_MS);
  const memoKey = `${timeZone}|${bucket}`;
  let offset = offsets.get(memoKey);
  if (offset === undefined) {
    const start = bucket * QUARTER_HOUR_MS;
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
