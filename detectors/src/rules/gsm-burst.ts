import type { GsmEvent } from '@wachtpost/contracts';
import type { RuleContext } from '../engine/context';
import { ddel, dget, dgetOrSet, dset, type Dict } from '../engine/dict';
import type { Evidence } from '../engine/evidence';
import { formatDay, localHour } from '../engine/local-time';
import { HOUR, type EpochMs } from '../engine/time';

/**
 * gsm-burst (medium): GSM bursts in a wing in one local hour exceed that wing's baseline for that hour of
 * the day: the mean over the previous `baselineDays` days plus `sdFactor` standard deviations, and at
 * least `minBursts`. Fires as soon as the hour's count crosses the threshold; one alert per wing.
 */
export interface GsmBurstParams {
  baselineDays: number;
  sdFactor: number;
  minBursts: number;
}

export const GSM_BURST_DEFAULTS: GsmBurstParams = { baselineDays: 14, sdFactor: 4, minBursts: 5 };

const RULE = 'gsm-burst';
const MAX_HOUR_EVIDENCE = 50;

export interface GsmBurstState {
  /**
   * Wing -> local hour bucket (day * 24 + hour; + 0.5 for the second run of the hour the clocks go back) ->
   * bursts. Local hours keep "that hour of day" right across DST.
   */
  counts: Dict<Dict<number>>;
  /** Wing -> the current bucket's bursts, for evidence. */
  current: Dict<{ bucket: number; evidence: Evidence[] }>;
}

export const emptyGsmBurst = (): GsmBurstState => ({ counts: {}, current: {} });

export function onGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  const p = ctx.params[RULE];
  const state = ctx.lane.bursts;
  const { day, hour } = localHour(ctx.view.timeZone, t);
  // The hour the clocks go back is lived twice. Its second run is a bucket of its own (x.5): one bucket
  // held two hours of traffic against a one-hour baseline, and inflated that hour's baseline for two weeks.
  // Baselines read whole-numbered buckets, the first run.
  const before = localHour(ctx.view.timeZone, t - HOUR);
  const bucket = day * 24 + hour + (before.day === day && before.hour === hour ? 0.5 : 0);
  const first = ctx.lane.firstAt === null ? null : localHour(ctx.view.timeZone, ctx.lane.firstAt);
  for (const wing of ctx.view.wingsOfZone(ev.zoneId)) {
    const counts = dgetOrSet(state.counts, wing, (): Dict<number> => ({}));
    const count = (dget(counts, String(bucket)) ?? 0) + 1;
    dset(counts, String(bucket), count);
    const current = dgetOrSet(state.current, wing, () => ({ bucket, evidence: [] }));
    if (current.bucket !== bucket) {
      current.bucket = bucket;
      current.evidence = [];
    }
    if (current.evidence.length < MAX_HOUR_EVIDENCE) current.evidence.push([t, ev.eventId]);

    // Days before the lane existed are unknown, not zero; leaving them out avoids a fake quiet baseline.
    const history: number[] = [];
    for (let k = 1; k <= p.baselineDays; k++) {
      const past = (day - k) * 24 + hour;
      if (first && past < first.day * 24 + first.hour) break;
      history.push(dget(counts, String(past)) ?? 0);
    }
    const mean = history.length === 0 ? 0 : history.reduce((s, x) => s + x, 0) / history.length;
    const sd =
      history.length === 0 ? 0 : Math.sqrt(history.reduce((s, x) => s + (x - mean) ** 2, 0) / history.length);
    const threshold = mean + p.sdFactor * sd;
    if (count < p.minBursts || count <= threshold) continue;
    const wingName = ctx.view.describeWing(wing);
    const hh = String(hour).padStart(2, '0');
    ctx.raise({
      rule: RULE,
      key: wing,
      at: t,
      severity: 'medium',
      title: `Unusual GSM activity on ${wingName}`,
      summary:
        `${count} GSM bursts on ${wingName} on ${formatDay(day)} between ${hh}:00 and ${hh}:59 local; baseline for ` +
        `that hour ${mean.toFixed(1)} ± ${sd.toFixed(1)} over ${history.length} days (threshold ${Math.max(p.minBursts, threshold).toFixed(1)}).`,
      wingId: wing,
      sensorIds: [ev.sensorId],
      evidence: current.evidence,
      fits: [],
    });
  }
}

export function pruneGsmBurst(
  state: GsmBurstState,
  timeZone: string,
  before: EpochMs,
  p: GsmBurstParams,
): void {
  const { day, hour } = localHour(timeZone, before);
  const oldest = (day - p.baselineDays - 1) * 24 + hour;
  for (const counts of Object.values(state.counts)) {
    for (const bucket of Object.keys(counts)) if (Number(bucket) < oldest) ddel(counts, bucket);
  }
}
