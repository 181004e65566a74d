import type { GsmEvent, RosterEvent, SearchEvent } from '@wachtpost/contracts';
import * as contraband from '../rules/contraband-delivery';
import * as detectionGap from '../rules/detection-gap';
import * as gsmBurst from '../rules/gsm-burst';
import * as persistentPhone from '../rules/persistent-phone';
import * as phoneFollows from '../rules/phone-follows-detainee';
import { ARRIVAL_RULES, type RuleId } from '../rules/rule-ids';
import * as searchConfirmation from '../rules/search-confirmation';
import * as searchMissed from '../rules/search-missed';
import { recordActivity } from './activity-log';
import { flushDirty, nextFlushDue, recorrelate } from './alert-book';
import type { RuleContext } from './context';
import { applyRoster } from './custody';
import { nightOf } from './local-time';
import { compactPending, type Pending } from './reorder-buffer';
import { toMs, type EpochMs } from './time';

const orderedRule = (rule: RuleId) => !ARRIVAL_RULES.has(rule);

/**
 * Hands the windowed rules every buffered event before the watermark, in event-time order, with the
 * timers (absences, coalesced repeats) that fall between them. The same events therefore always meet the
 * rules in the same sequence, whatever order they arrived in.
 */
export function drainOrdered(ctx: RuleContext, watermark: EpochMs): void {
  const lane = ctx.lane;
  const buffer = lane.buffer;
  // A state written before bufferHead existed has none: nothing handled is left in its buffer.
  lane.bufferHead ??= 0;
  while (lane.bufferHead < buffer.length && buffer[lane.bufferHead]!.t < watermark) {
    const item = buffer[lane.bufferHead++]!;
    runTimersBefore(ctx, item.t);
    handleOrdered(ctx, item);
    lane.orderedAt = item.t;
  }
  lane.bufferHead = compactPending(buffer, lane.bufferHead);
  runTimersBefore(ctx, watermark);
}

/** Fires timers due strictly before `before`: events at an instant are handled before timers at it. */
function runTimersBefore(ctx: RuleContext, before: EpochMs): void {
  let previous: EpochMs | null = null;
  for (;;) {
    const ruleDue = phoneFollows.nextDue(ctx);
    const flushDue = nextFlushDue(ctx.bc, orderedRule, before);
    const due = ruleDue === null ? flushDue : flushDue === null ? ruleDue : Math.min(ruleDue, flushDue);
    // Each firing moves its timer on; the guard only keeps a future rule bug from spinning forever.
    if (due === null || due >= before || due === previous) return;
    previous = due;
    if (ruleDue === due) phoneFollows.fireDue(ctx, due);
    flushDirty(ctx.bc, due, orderedRule);
    ctx.lane.orderedAt = due;
  }
}

export function handleOrdered(ctx: RuleContext, item: Pending): void {
  const ev = item.event;
  switch (ev.kind) {
    case 'gsm':
      return handleGsm(ctx, ev, item.t);
    case 'search':
      return handleSearch(ctx, ev);
    case 'roster':
      return handleRoster(ctx, ev, item.t);
  }
}

function handleGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  // Service phones never raise contraband rules, and their activity would make a zone look busy.
  if (ctx.view.isAllowlisted(ev.deviceKey)) return;
  contraband.onGsm(ctx, ev, t);
  persistentPhone.onGsm(ctx, ev, t);
  phoneFollows.onGsm(ctx, ev, t);
  searchMissed.onGsm(ctx, ev, t);
  gsmBurst.onGsm(ctx, ev, t);
  logGsm(ctx, ev, t);
}

/** Records a burst in the activity log, after the rules have looked back at the log without it. */
export function logGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  const night = nightOf(ctx.view.timeZone, t, ctx.params.nights);
  recordActivity(ctx.lane.activity, ev.zoneId, ctx.view.isCell(ev.zoneId), [
    t,
    ev.eventId,
    ev.deviceKey ?? null,
    night,
    ev.sensorId,
  ]);
}

/** Search rules look back in the activity log, so they give the same answer whenever the search arrives. */
export function handleSearch(ctx: RuleContext, ev: SearchEvent): void {
  searchConfirmation.onSearch(ctx, ev);
  detectionGap.onSearch(ctx, ev);
  searchMissed.onSearch(ctx, ev);
}

/** Roster events change custody as of their effective time; open alerts re-derive their detainees. */
export function handleRoster(ctx: RuleContext, ev: RosterEvent, now: EpochMs): void {
  phoneFollows.onRoster(ctx, ev, now);
  const change = applyRoster(ctx.lane.custody, ev);
  if (change) recorrelate(ctx.bc, change, Math.max(now, toMs(ev.observedAt)));
}
