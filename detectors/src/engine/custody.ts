import type { RosterEvent } from '@wachtpost/contracts';
import { ddel, dget, dgetOrSet, dset, type Dict } from './dict';
import { toMs, type EpochMs } from './time';

/**
 * One roster fact: from `at` (effectiveAt) the detainee is in `cellId` (null after release). Ordered by
 * effective time, then by when it was recorded, so a later correction for the same instant wins and a
 * back-dated one slots into the past.
 */
export type CustodyEntry = [
  at: EpochMs,
  cellId: string | null,
  observedAt: EpochMs,
  seq: number,
  eventId: string,
];

export interface CustodyState {
  detainees: Dict<CustodyEntry[]>;
  /** Cell -> detainees with any entry for it (a superset; the timeline decides). */
  cells: Dict<string[]>;
}

export const emptyCustody = (): CustodyState => ({ detainees: {}, cells: {} });

function entryBefore(a: CustodyEntry, b: CustodyEntry): boolean {
  if (a[0] !== b[0]) return a[0] < b[0];
  if (a[2] !== b[2]) return a[2] < b[2];
  if (a[3] !== b[3]) return a[3] < b[3];
  return a[4] < b[4];
}

/** Where and when a roster event changed who was in a cell: `cells` during effective times [from, to). */
export interface CustodyChange {
  cells: string[];
  from: EpochMs;
  to: EpochMs;
}

/**
 * Adds a roster event to the detainee's timeline and returns what changed, or null for a duplicate. An entry
 * only changes where the detainee was from its time to the next entry's: there the cell of the entry before
 * it gives way to its own. So at most two cells and one span, however long the timeline; a move effective
 * now changes no past instant, so alerts on evidence from before it keep their detainees untouched (a roster
 * flood once re-derived every alert on every cell the detainee had ever been in).
 */
export function applyRoster(custody: CustodyState, ev: RosterEvent): CustodyChange | null {
  const entry: CustodyEntry = [
    toMs(ev.effectiveAt),
    ev.action === 'release' ? null : (ev.cellId ?? null),
    toMs(ev.observedAt),
    ev.seq ?? 0,
    ev.eventId,
  ];
  const timeline = dgetOrSet(custody.detainees, ev.detaineeId, () => []);
  if (timeline.some((e) => e[4] === ev.eventId)) return null;
  let i = timeline.length;
  while (i > 0 && entryBefore(entry, timeline[i - 1]!)) i--;
  timeline.splice(i, 0, entry);
  if (entry[1] !== null) {
    const residents = dgetOrSet(custody.cells, entry[1], () => []);
    if (!residents.includes(ev.detaineeId)) residents.push(ev.detaineeId);
  }
  const before = i > 0 ? timeline[i - 1]![1] : null;
  const next = timeline[i + 1];
  const change: CustodyChange = {
    cells: [...new Set([entry[1], before])].filter((c): c is string => c !== null),
    from: entry[0],
    to: next ? next[0] : Number.POSITIVE_INFINITY,
  };
  forgetAnswers(custody, change);
  return change;
}

/** The detainee's cell at `t` as the roster now knows it, or null. */
export function cellAt(custody: CustodyState, detaineeId: string, t: EpochMs): string | null {
  const timeline = dget(custody.detainees, detaineeId);
  if (!timeline) return null;
  // The last entry at or before t: timelines are sorted by time, and a flood makes them long.
  let lo = 0;
  let hi = timeline.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeline[mid]![0] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? timeline[lo - 1]![1] : null;
}

/**
 * Answers already worked out, per custody state, cell and instant. Derived, never stored: a restored state
 * starts without. Alerts ask again about the same evidence instants whenever they change, and each answer
 * walks every detainee who was ever in the cell, so under roster churn this is the engine's hottest spot.
 */
const answers = new WeakMap<CustodyState, Map<string, Map<EpochMs, readonly string[]>>>();
const MAX_ANSWERS_PER_CELL = 512;

/** Forgets the answers a change makes wrong: those for its cells at instants in its span. */
function forgetAnswers(custody: CustodyState, change: CustodyChange): void {
  const byCell = answers.get(custody);
  if (!byCell) return;
  for (const cellId of change.cells) {
    const byTime = byCell.get(cellId);
    if (!byTime) continue;
    for (const t of byTime.keys()) if (t >= change.from && t < change.to) byTime.delete(t);
  }
}

export function detaineesIn(custody: CustodyState, cellId: string, t: EpochMs): readonly string[] {
  let byCell = answers.get(custody);
  if (!byCell) answers.set(custody, (byCell = new Map()));
  let byTime = byCell.get(cellId);
  if (!byTime) byCell.set(cellId, (byTime = new Map()));
  const known = byTime.get(t);
  if (known) return known;
  const found = (dget(custody.cells, cellId) ?? []).filter((d) => cellAt(custody, d, t) === cellId).sort();
  if (byTime.size >= MAX_ANSWERS_PER_CELL) byTime.delete(byTime.keys().next().value!);
  byTime.set(t, found);
  return found;
}

/** Drops history before `before`, keeping for each detainee the entry that still holds at `before`. */
export function pruneCustody(custody: CustodyState, before: EpochMs): void {
  const cells: Dict<string[]> = {};
  for (const [detaineeId, timeline] of Object.entries(custody.detainees)) {
    let firstKept = 0;
    while (firstKept + 1 < timeline.length && timeline[firstKept + 1]![0] <= before) firstKept++;
    const kept = timeline.slice(firstKept);
    if (kept.length === 1 && kept[0]![1] === null && kept[0]![0] <= before) {
      ddel(custody.detainees, detaineeId);
      continue;
    }
    dset(custody.detainees, detaineeId, kept);
    for (const entry of kept) {
      if (entry[1] === null) continue;
      const residents = dgetOrSet(cells, entry[1], () => []);
      if (!residents.includes(detaineeId)) residents.push(detaineeId);
    }
  }
  custody.cells = cells;
  answers.delete(custody);
}
