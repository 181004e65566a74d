import { ARRIVAL_RULES, type RuleId } from '../rules/rule-ids';
import { pruneContraband } from '../rules/contraband-delivery';
import { pruneGsmBurst } from '../rules/gsm-burst';
import { pruneSearchMissed } from '../rules/search-missed';
import * as sensorOffline from '../rules/sensor-offline';
import { pruneActivity } from './activity-log';
import { flushDirty, pruneBook, resolvePending } from './alert-book';
import { advanceWatermark, declareOffline, pruneGaps } from './clock';
import type { RuleContext } from './context';
import { pruneCustody } from './custody';
import { ddel } from './dict';
import { pruneDrones } from './drone-tracks';
import { drainOrdered } from './ordered-path';
import { DAY, HOUR, MINUTE, SECOND, type EpochMs } from './time';

const arrivalRule = (rule: RuleId) => ARRIVAL_RULES.has(rule);
/** Custody outlives every look-back so that long-open alerts can still be re-correlated. */
const CUSTODY_HORIZON = 60 * DAY;

/**
 * Moves a lane's time forward after an event or a runtime tick: declares silent sensors offline (at the
 * newest time up to which everything has arrived), resolves quiet flapping alerts, advances the
 * watermark, lets the windowed rules run up to it, publishes due repeats and forgets old state.
 */
export function progress(ctx: RuleContext): void {
  const { lane, params } = ctx;
  const clock = lane.clock;
  if (clock.observedUntil === null) return;
  const latenessMs = params.engine.allowedLatenessS * SECOND;
  const definite = definiteTime(ctx)!;
  for (const declaration of declareOffline(clock, definite, params['sensor-offline'].missedIntervals)) {
    sensorOffline.onDeclaredOffline(ctx, declaration);
  }
  resolvePending(ctx.bc, definite);
  const watermark = advanceWatermark(clock, latenessMs);
  if (watermark !== null) drainOrdered(ctx, watermark);
  flushDirty(ctx.bc, clock.observedUntil, arrivalRule);
  if (watermark !== null) prune(ctx, watermark, definite);
}

function prune(ctx: RuleContext, watermark: EpochMs, definite: EpochMs): void {
  const { lane, params: p } = ctx;
  // Pruning walks the whole state; once per minute of event time is plenty.
  if (lane.prunedAt !== null && watermark - lane.prunedAt < MINUTE) return;
  lane.prunedAt = watermark;
  const seenBefore = rememberedSince(ctx)!;
  let forget = 0;
  while (forget < lane.seenOrder.length && lane.seenOrder[forget]![0] < seenBefore) {
    ddel(lane.seen, lane.seenOrder[forget]![1]);
    forget++;
  }
  lane.seenOrder.splice(0, forget);
  pruneDrones(lane.drones, definite - p['drone-incursion'].incidentGapS * SECOND);
  // Late GSM activity within the dedupe horizon may still make a delivery (see late-events).
  pruneContraband(lane.contraband, watermark - p.engine.dedupeHorizonS * SECOND, p['contraband-delivery']);
  pruneSearchMissed(lane.searchMissed, watermark, p['search-missed']);
  pruneGsmBurst(lane.bursts, ctx.view.timeZone, watermark, p['gsm-burst']);
  const recentMs = Math.max(
    (p['persistent-phone'].withinDays + 1) * DAY,
    (p['phone-follows-detainee'].priorDays + 1) * DAY + p['phone-follows-detainee'].startWithinH * HOUR,
    p['search-missed'].withinH * HOUR,
  );
  const longMs = (p['detection-gap'].quietDays + 1) * DAY;
  pruneActivity(lane.activity, watermark - recentMs, watermark - longMs);
  pruneCustody(lane.custody, watermark - Math.max(CUSTODY_HORIZON, longMs));
  pruneGaps(lane.clock, watermark - longMs);
  pruneBook(ctx.bc, definite);
}

/** The newest time seen minus the allowed lateness: everything before it has arrived (null before any event). */
export function definiteTime(ctx: RuleContext): EpochMs | null {
  const until = ctx.lane.clock.observedUntil;
  return until === null ? null : until - ctx.params.engine.allowedLatenessS * SECOND;
}

/** Events at or after this time are remembered by id (the dedupe horizon), so a repeat of one is known. */
export function rememberedSince(ctx: RuleContext): EpochMs | null {
  const definite = definiteTime(ctx);
  return definite === null ? null : definite - ctx.params.engine.dedupeHorizonS * SECOND;
}
