import type { EpochMs } from './time';

/** One piece of evidence: the event's time and id. Kept sorted by time so any arrival order agrees. */
export type Evidence = [t: EpochMs, eventId: string];

function hasId(list: readonly Evidence[], eventId: string): boolean {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]![1] === eventId) return true;
  return false;
}

const before = (a: Evidence, b: Evidence) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Adds evidence in time order, skipping ids already present, and returns how many were new. Beyond `max`
 * items the middle is dropped: the first few show how it started and the rest how it goes on, while
 * the alert's count keeps the full number.
 */
export function mergeEvidence(list: Evidence[], add: readonly Evidence[], max: number): number {
  let added = 0;
  for (const item of add) {
    if (hasId(list, item[1])) continue;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(list[mid]!, item)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, item);
    added++;
    if (list.length > max) list.splice(Math.min(HEAD, Math.floor(max / 2)), 1);
  }
  return added;
}

const HEAD = 10;
