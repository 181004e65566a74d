import type { GsmEvent, RosterEvent } from '@wachtpost/contracts';
import { entriesBetween, type ActivityEntry } from '../engine/activity-log';
import type { RuleContext } from '../engine/context';
import { cellAt } from '../engine/custody';
import { ddel, dget, dset, type Dict } from '../engine/dict';
import type { Evidence } from '../engine/evidence';
import { DAY, HOUR, toIso, toMs, type EpochMs } from '../engine/time';

/**
 * phone-follows-detainee (critical): a detainee moves from cell A to cell B; GSM activity present in A
 * (on `priorNights`+ nights in the `priorDays` days before) stops there for `stopH` hours and starts in B
 * within `startWithinH` hours. A device key seen in A before and in B after makes it certain, and fires
 * without waiting for the stop. Moves may be back-dated (roster corrections): the rule looks back.
 */
export interface PhoneFollowsDetaineeParams {
  priorNights: number;
  priorDays: number;
  stopH: number;
  startWithinH: number;
}

export const PHONE_FOLLOWS_DETAINEE_DEFAULTS: PhoneFollowsDetaineeParams = {
  priorNights: 2,
  priorDays: 7,
  stopH: 48,
  startWithinH: 72,
};

const RULE = 'phone-follows-detainee';

/** A move being watched: what A looked like before, and what happened since. */
interface Watch {
  detaineeId: string;
  from: string;
  /** Where the detainee is now: B, or a later cell when he moved on before the watch ended. */
  to: string;
  movedAt: EpochMs;
  /** Cells he passed through since leaving A, when he moved on from B (absent on states written before). */
  via?: string[];
  /** His latest move: the start window runs from it (absent: `movedAt`). */
  lastMovedAt?: EpochMs;
  priorNights: number;
  priorKeys: string[];
  evidence: Evidence[];
  sensors: string[];
  /** Activity in A within the stop period: the phone did not leave with the detainee. */
  stayed: boolean;
  firstInB: EpochMs | null;
  sameDevice: boolean;
  fired: boolean;
}

export interface PhoneFollowsState {
  /** Detainee -> the latest move being watched. */
  watches: Dict<Watch>;
}

export const emptyPhoneFollows = (): PhoneFollowsState => ({ watches: {} });

/** Called before the roster event is applied to custody, so "A" is where the detainee was until now. */
export function onRoster(ctx: RuleContext, ev: RosterEvent, now: EpochMs): void {
  const state = ctx.lane.follows;
  const previous = dget(state.watches, ev.detaineeId);
  ddel(state.watches, ev.detaineeId);
  if (ev.action !== 'move' || ev.cellId === undefined) return;
  const p = ctx.params[RULE];
  const movedAt = toMs(ev.effectiveAt);
  if (previous && movesOn(previous, ev.cellId, movedAt, p)) {
    // Moved again (A -> B -> C) while A's phone was still being watched: the phone follows him to C.
    return moveOn(ctx, previous, ev, movedAt, now);
  }
  // Where the detainee was just before the move: a record at the same instant (the same move sent again, or
  // its destination corrected) is not where he came from, and taking it as such dropped the watch on A.
  const from = cellAt(ctx.lane.custody, ev.detaineeId, movedAt - 1);
  if (from === null || from === ev.cellId) return;
  const before = entriesBetween(ctx.lane.activity, from, movedAt - p.priorDays * DAY, movedAt - 1);
  const nightly = before.filter((e) => e[3] !== null);
  const nights = new Set(nightly.map((e) => e[3]));
  if (nights.size < p.priorNights) return;
  const watch: Watch = {
    detaineeId: ev.detaineeId,
    from,
    to: ev.cellId,
    movedAt,
    priorNights: nights.size,
    priorKeys: [...new Set(before.flatMap((e) => (e[2] === null ? [] : [e[2]])))].sort(),
    evidence: [
      ...firstPerNight(nightly).map((e): Evidence => [e[0], e[1]]),
      [toMs(ev.observedAt), ev.eventId],
    ],
    sensors: [...new Set(nightly.map((e) => e[4]))].sort(),
    stayed: false,
    firstInB: null,
    sameDevice: false,
    fired: false,
  };
  dset(state.watches, ev.detaineeId, watch);
  // A back-dated move: what happened in A and B since the move is already in the activity log.
  for (const e of entriesBetween(ctx.lane.activity, from, movedAt, Math.min(now, movedAt + p.stopH * HOUR))) {
    watch.stayed = true;
    watch.evidence.push([e[0], e[1]]);
  }
  for (const e of entriesBetween(ctx.lane.activity, ev.cellId, movedAt, movedAt + p.startWithinH * HOUR)) {
    if (e[0] > now) break;
    noteInB(watch, e);
  }
  evaluate(ctx, watch, now);
  if (now >= movedAt + p.startWithinH * HOUR) ddel(state.watches, ev.detaineeId);
}

/** Whether a move of the watched detainee is him moving on from B while the watch on A still runs. */
function movesOn(watch: Watch, cellId: string, movedAt: EpochMs, p: PhoneFollowsDetaineeParams): boolean {
  const since = watch.lastMovedAt ?? watch.movedAt;
  // Back to A is no following: the watch starts over from B.
  return movedAt > since && movedAt <= startEnds(watch, p) && cellId !== watch.to && cellId !== watch.from;
}

function moveOn(ctx: RuleContext, watch: Watch, ev: RosterEvent, movedAt: EpochMs, now: EpochMs): void {
  const p = ctx.params[RULE];
  const state = ctx.lane.follows;
  watch.via = [...(watch.via ?? []), watch.to].filter((c) => c !== watch.from);
  watch.to = ev.cellId!;
  watch.lastMovedAt = movedAt;
  watch.evidence.push([toMs(ev.observedAt), ev.eventId]);
  // Activity in B after he left is someone else's; activity in C since the move is already in the log.
  if (watch.firstInB !== null && watch.firstInB > movedAt) watch.firstInB = null;
  dset(state.watches, watch.detaineeId, watch);
  for (const e of entriesBetween(ctx.lane.activity, watch.to, movedAt, startEnds(watch, p))) {
    if (e[0] > now) break;
    noteInB(watch, e);
  }
  evaluate(ctx, watch, now);
  if (now >= startEnds(watch, p)) ddel(state.watches, watch.detaineeId);
}

const startEnds = (w: Watch, p: PhoneFollowsDetaineeParams) =>
  (w.lastMovedAt ?? w.movedAt) + p.startWithinH * HOUR;

export function onGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  const p = ctx.params[RULE];
  const entry: ActivityEntry = [t, ev.eventId, ev.deviceKey ?? null, null, ev.sensorId];
  for (const watch of Object.values(ctx.lane.follows.watches)) {
    if (t <= watch.movedAt) continue;
    if (watch.from === ev.zoneId && t <= watch.movedAt + p.stopH * HOUR && !watch.fired) {
      watch.stayed = true;
    }
    if (watch.to === ev.zoneId && t > (watch.lastMovedAt ?? watch.movedAt) && t <= startEnds(watch, p)) {
      noteInB(watch, entry);
      evaluate(ctx, watch, t);
    }
  }
}

function noteInB(watch: Watch, e: ActivityEntry): void {
  if (watch.firstInB === null || e[0] < watch.firstInB) watch.firstInB = e[0];
  if (e[2] !== null && watch.priorKeys.includes(e[2])) watch.sameDevice = true;
  watch.evidence.push([e[0], e[1]]);
  if (!watch.sensors.includes(e[4])) watch.sensors.push(e[4]);
}

/** Fires when the same device moved, or when A stayed quiet for the stop period and B has started. */
function evaluate(ctx: RuleContext, watch: Watch, now: EpochMs): void {
  const p = ctx.params[RULE];
  const stopEnds = watch.movedAt + p.stopH * HOUR;
  const ready = watch.sameDevice || (!watch.stayed && watch.firstInB !== null && now >= stopEnds);
  if (!ready || watch.firstInB === null) return;
  watch.fired = true;
  const certain = watch.sameDevice ? ' The same device key was seen in both cells: certain.' : '';
  ctx.raise({
    rule: RULE,
    key: watch.detaineeId,
    at: now,
    severity: 'critical',
    title: `Phone follows detainee ${watch.detaineeId}`,
    summary:
      `${watch.detaineeId} moved from ${watch.from} to ${[...(watch.via ?? []), watch.to].join(', then ')} at ` +
      `${toIso(watch.movedAt)}${watch.lastMovedAt === undefined ? '' : ` and ${toIso(watch.lastMovedAt)}`}; GSM activity in ` +
      `${watch.from} on ${watch.priorNights} nights before ${watch.sameDevice ? 'reappeared' : `stopped for ${p.stopH} h and started`} ` +
      `in ${watch.to} at ${toIso(watch.firstInB)}.${certain}`,
    ...withWing(ctx, watch.to),
    cellIds: [watch.from, ...(watch.via ?? []), watch.to],
    detaineeIds: [watch.detaineeId],
    sensorIds: watch.sensors,
    evidence: watch.evidence,
    fits: [`z:${watch.to}`],
    // A silent sensor over A would fake the "stop".
    incomplete: watch.sameDevice ? [] : ctx.gaps(watch.from, watch.movedAt, Math.min(now, stopEnds)),
  });
}

/** Timers in event time: the end of the stop period decides the absence, the end of the window expires. */
export function nextDue(ctx: RuleContext): EpochMs | null {
  const p = ctx.params[RULE];
  let due: EpochMs | null = null;
  for (const w of Object.values(ctx.lane.follows.watches)) {
    const stopEnds = w.movedAt + p.stopH * HOUR;
    const at = !w.fired && !w.stayed && w.firstInB !== null ? stopEnds : startEnds(w, p);
    if (due === null || at < due) due = at;
  }
  return due;
}

export function fireDue(ctx: RuleContext, at: EpochMs): void {
  const p = ctx.params[RULE];
  for (const [detaineeId, w] of Object.entries(ctx.lane.follows.watches)) {
    // A watch that fired is done deciding: raising it again here (at the end of its window) opened a
    // second alert for the same move after a search had found the phone and resolved the first.
    if (!w.fired && w.movedAt + p.stopH * HOUR <= at) evaluate(ctx, w, at);
    if (startEnds(w, p) <= at) ddel(ctx.lane.follows.watches, detaineeId);
  }
}

function firstPerNight(entries: ActivityEntry[]): ActivityEntry[] {
  const seen = new Set<number>();
  return entries.filter((e) => {
    if (e[3] === null || seen.has(e[3])) return false;
    seen.add(e[3]);
    return true;
  });
}

function withWing(ctx: RuleContext, cell: string): { wingId?: string } {
  const wingId = ctx.view.wingOfCell(cell);
  return wingId === undefined ? {} : { wingId };
}
