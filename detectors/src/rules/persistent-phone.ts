import type { GsmEvent } from '@wachtpost/contracts';
import { entriesBetween, type ActivityEntry } from '../engine/activity-log';
import type { RuleContext } from '../engine/context';
import type { Evidence } from '../engine/evidence';
import { formatDay, nightOf } from '../engine/local-time';
import { DAY, type EpochMs } from '../engine/time';

/**
 * persistent-phone (high, critical from `escalateNights`): GSM activity in one cell zone on `minNights` or
 * more distinct nights within `withinDays` days. Nights are 22:00-06:00 in the site's time zone (the
 * engine's `nights` parameters), counted on local wall time so a DST night is as long as the clocks say.
 */
export interface PersistentPhoneParams {
  minNights: number;
  withinDays: number;
  /** "Escalates as nights add up": from this many nights the alert becomes critical. */
  escalateNights: number;
}

export const PERSISTENT_PHONE_DEFAULTS: PersistentPhoneParams = {
  minNights: 3,
  withinDays: 7,
  escalateNights: 5,
};

const RULE = 'persistent-phone';

export function onGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  const cell = ev.zoneId;
  if (!ctx.view.isCell(cell)) return;
  const p = ctx.params[RULE];
  const night = nightOf(ctx.view.timeZone, t, ctx.params.nights);
  if (night === null) return;
  // Nights named by the local day they start on: the window is this night and the withinDays-1 before.
  const firstNight = night - p.withinDays + 1;
  const earlier = entriesBetween(ctx.lane.activity, cell, t - (p.withinDays + 1) * DAY, t).filter(
    (e) => e[3] !== null && e[3] >= firstNight && e[3] <= night,
  );
  const nights = new Set([...earlier.map((e) => e[3]!), night]);
  if (nights.size < p.minNights) return;
  // The first burst of each earlier night shows the pattern; every burst would make a busy cell quadratic.
  const firstOfNight: ActivityEntry[] = [];
  const covered = new Set<number>([night]);
  for (const e of earlier) {
    if (covered.has(e[3]!)) continue;
    covered.add(e[3]!);
    firstOfNight.push(e);
  }
  const evidence: Evidence[] = [...firstOfNight.map((e): Evidence => [e[0], e[1]]), [t, ev.eventId]];
  const dates = [...nights]
    .sort((a, b) => a - b)
    .map(formatDay)
    .join(', ');
  ctx.raise({
    rule: RULE,
    key: cell,
    at: t,
    severity: nights.size >= p.escalateNights ? 'critical' : 'high',
    title: `Phone in cell ${cell} at night`,
    summary: `GSM activity in cell ${cell} on ${nights.size} distinct nights within ${p.withinDays} days (nights of ${dates}).`,
    ...withWing(ctx, cell),
    cellIds: [cell],
    custody: evidence.map(([et]) => [cell, et]),
    sensorIds: [...firstOfNight.map((e) => e[4]), ev.sensorId],
    evidence,
    fits: [`z:${cell}`],
  });
}

function withWing(ctx: RuleContext, cell: string): { wingId?: string } {
  const wingId = ctx.view.wingOfCell(cell);
  return wingId === undefined ? {} : { wingId };
}
