import { utcOffsetMs } from '@wachtpost/contracts';

/**
 * The small time grammar of scenario files. A duration is `90s`, `2h`, `1h30m`, `2d` (units d, h, m, s, each
 * at most once, in that order). A time is either relative, `+<duration>`, or a local clock time on a day of
 * the scenario: `day N HH:MM[:SS]` (day 0 is the scenario's first local day) or `night N HH:MM[:SS]` (the
 * night that starts on day N: 12:00-23:59 fall on day N, 00:00-11:59 on day N + 1).
 */
export type ScenarioTime = { kind: 'relative'; ms: number } | { kind: 'clock'; day: number; msOfDay: number };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const CLOCK = /^(day|night)\s+(\d+)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

export const DURATION_HINT = 'expected a duration like "90s", "2h" or "1h30m"';
export const TIME_HINT = 'expected a time like "+2h", "day 1 09:00" or "night 1 23:10"';

/** Milliseconds of a duration, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(min ?? 0) * MINUTE + Number(s ?? 0) * SECOND;
}

export function parseTime(text: string): ScenarioTime | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('+')) {
    const ms = parseDuration(trimmed.slice(1));
    return ms === undefined ? undefined : { kind: 'relative', ms };
  }
  const m = CLOCK.exec(trimmed);
  if (!m) return undefined;
  const [, which, day, hh, mm, ss] = m;
  const hours = Number(hh);
  const minutes = Number(mm);
  const seconds = Number(ss ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const nextDay = which === 'night' && hours < 12 ? 1 : 0;
  return {
    kind: 'clock',
    day: Number(day) + nextDay,
    msOfDay: hours * HOUR + minutes * MINUTE + seconds * SECOND,
  };
}

/** Epoch ms of a local wall-clock instant (the wall time written as if it were UTC) in `timeZone`. */
export function localToUtc(timeZone: string, wallMs: number): number {
  const guess = wallMs - utcOffsetMs(timeZone, wallMs);
  return wallMs - utcOffsetMs(timeZone, guess);
}

/** The local midnight `daysBefore` days before the local date of `now`. */
export function localMidnight(timeZone: string, now: number, daysBefore = 0): number {
  const local = new Date(now + utcOffsetMs(timeZone, now));
  const wall = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysBefore);
  return localToUtc(timeZone, wall);
}

/**
 * Resolves a time against the scenario's origin (local midnight of day 0) and, for relative times, a base
 * instant (the previous step, or the origin).
 */
export function resolveTime(time: ScenarioTime, origin: number, timeZone: string, base: number): number {
  if (time.kind === 'relative') return base + time.ms;
  const offset = utcOffsetMs(timeZone, origin);
  const originWall = origin + offset;
  return localToUtc(timeZone, originWall + time.day * DAY + time.msOfDay);
}

export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return sign + parts.join('');
}
