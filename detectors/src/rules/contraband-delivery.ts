import type { GsmEvent, LatLon } from '@wachtpost/contracts';
import { lastActivity, lastActivityBefore } from '../engine/activity-log';
import { currentRecord } from '../engine/alert-book';
import type { RuleContext } from '../engine/context';
import { dget, dgetOrSet, dset, ddel, type Dict } from '../engine/dict';
import { DAY, HOUR, toIso, type EpochMs } from '../engine/time';

/**
 * contraband-delivery (critical): a drone incursion over or near wing W is followed within `windowH` by
 * GSM activity in W from a zone with no activity in the previous `quietDays` days, or by a device key new
 * to W in that time. One alert per wing; later activity in the zones it names updates it.
 */
export interface ContrabandDeliveryParams {
  windowH: number;
  quietDays: number;
  /** "Near": a drone within this distance of a wing's footprint, or over a yard the wing uses. */
  nearM: number;
}

export const CONTRABAND_DELIVERY_DEFAULTS: ContrabandDeliveryParams = {
  windowH: 2,
  quietDays: 7,
  nearM: 100,
};

const RULE = 'contraband-delivery';

/** A drone's presence over or near one wing: first and last time, and the first report as evidence. */
interface Incursion {
  incident: string;
  t0: EpochMs;
  id0: string;
  sensor0: string;
  t1: EpochMs;
  /** Start of the drone's latest pass (see drone-tracks' Incident.since); absent on states written before. */
  since?: EpochMs;
}

export interface ContrabandState {
  /** Wing -> incursions over or near it. */
  incursions: Dict<Incursion[]>;
  /** Wing -> device key -> last time seen in the wing. */
  deviceKeys: Dict<Dict<EpochMs>>;
}

export const emptyContraband = (): ContrabandState => ({ incursions: {}, deviceKeys: {} });

/**
 * Notes a drone position in the airspace as it arrives. Keeping only the first and last time per
 * incident and wing makes the record the same whatever order the reports came in.
 */
export function recordIncursion(
  ctx: RuleContext,
  incident: string,
  at: LatLon,
  t: EpochMs,
  eventId: string,
  sensorId: string,
): void {
  const state = ctx.lane.contraband;
  const pass = dget(ctx.lane.drones.incidents, incident)?.since ?? t;
  for (const wing of ctx.view.wingsNear(at, ctx.params[RULE].nearM)) {
    const list = dgetOrSet(state.incursions, wing, () => []);
    const known = list.find((i) => i.incident === incident);
    if (!known) {
      list.push({ incident, t0: t, id0: eventId, sensor0: sensorId, t1: t, since: Math.min(pass, t) });
      continue;
    }
    known.since = Math.max(known.since ?? known.t0, Math.min(pass, t));
    if (t < known.t0 || (t === known.t0 && eventId < known.id0)) {
      known.t0 = t;
      known.id0 = eventId;
      known.sensor0 = sensorId;
    }
    known.t1 = Math.max(known.t1, t);
  }
}

/**
 * When the latest drone pass over or near the wing that GSM activity at `t` follows began: a delivery
 * after the operator closed the wing's alert is a new one when its drone came after the close.
 */
function latestPassBefore(state: ContrabandState, wing: string, t: EpochMs, windowMs: number): EpochMs {
  let latest = Number.NEGATIVE_INFINITY;
  for (const i of dget(state.incursions, wing) ?? []) {
    if (i.t0 > t || i.t1 + windowMs < t) continue;
    latest = Math.max(latest, i.since !== undefined && i.since <= t ? i.since : i.t0);
  }
  return latest;
}

/** The earliest incursion over or near the wing that GSM activity at `t` follows within the window. */
function incursionBefore(
  state: ContrabandState,
  wing: string,
  t: EpochMs,
  windowMs: number,
): Incursion | undefined {
  let best: Incursion | undefined;
  for (const i of dget(state.incursions, wing) ?? []) {
    if (i.t0 > t || i.t1 + windowMs < t) continue;
    if (!best || i.t0 < best.t0 || (i.t0 === best.t0 && i.id0 < best.id0)) best = i;
  }
  return best;
}

/** GSM activity handled in event-time order (the ordered path): the history holds nothing after `t`. */
export function onGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  correlate(ctx, ev, t, false);
}

/**
 * GSM activity that came after the watermark (a gateway forwarding what it buffered while it was down):
 * judged as of its own time, as if it had come on time, and marked late. The history may hold activity
 * after `t`, so it reads only what came before it.
 */
export function onLateGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  correlate(ctx, ev, t, true);
}

function correlate(ctx: RuleContext, ev: GsmEvent, t: EpochMs, late: boolean): void {
  const p = ctx.params[RULE];
  const state = ctx.lane.contraband;
  const quietMs = p.quietDays * DAY;
  // A zone that keeps no detail (not a cell) and was active after `t` reads as never active before it:
  // quiet, the side an outage cannot hide a delivery on (as for device keys below).
  const last = late
    ? lastActivityBefore(ctx.lane.activity, ev.zoneId, t)
    : lastActivity(ctx.lane.activity, ev.zoneId);
  const quietZone = last === null || last < t - quietMs;
  const isCell = ctx.view.isCell(ev.zoneId);
  for (const wing of ctx.view.wingsOfZone(ev.zoneId)) {
    const keys = dgetOrSet(state.deviceKeys, wing, (): Dict<EpochMs> => ({}));
    const seen = ev.deviceKey === undefined ? undefined : dget(keys, ev.deviceKey);
    // Only a key's latest sighting is kept. For late activity one after `t` hides whether the key was also
    // seen before it: counted as new, so that an outage cannot hide a delivery. The alert says it is late.
    const newDevice =
      ev.deviceKey !== undefined && (seen === undefined || seen < t - quietMs || (late && seen > t));
    if (ev.deviceKey !== undefined) dset(keys, ev.deviceKey, Math.max(seen ?? t, t));
    const incursion = incursionBefore(state, wing, t, p.windowH * HOUR);
    if (!incursion) continue;
    const open = currentRecord(ctx.bc, RULE, wing);
    const follows =
      open !== undefined && open.alert.status !== 'resolved' && open.fits.includes(`z:${ev.zoneId}`);
    if (!quietZone && !newDevice && !follows) continue;
    const why = quietZone
      ? `a zone quiet for ${p.quietDays} days`
      : newDevice
        ? `a device new to the wing in ${p.quietDays} days`
        : 'a zone already named';
    const wingName = ctx.view.describeWing(wing);
    ctx.raise({
      rule: RULE,
      key: wing,
      at: t,
      severity: 'critical',
      title: `Possible contraband delivery on ${wingName}`,
      summary:
        `Drone over or near ${wingName} from ${toIso(incursion.t0)}, then GSM activity in ${ev.zoneId} at ` +
        `${toIso(t)} from ${why}.`,
      wingId: wing,
      cellIds: isCell ? [ev.zoneId] : [],
      custody: isCell ? [[ev.zoneId, t]] : [],
      sensorIds: [incursion.sensor0, ev.sensorId],
      evidence: [
        [incursion.t0, incursion.id0],
        [t, ev.eventId],
      ],
      fits: [`z:${ev.zoneId}`],
      // "Quiet" means nothing was heard; with a sensor down that may be blindness, not quiet.
      incomplete: quietZone ? ctx.gaps(ev.zoneId, t - quietMs, t) : [],
      since: latestPassBefore(state, wing, t, p.windowH * HOUR),
      ...(late && { late }),
    });
  }
}

export function pruneContraband(state: ContrabandState, before: EpochMs, p: ContrabandDeliveryParams): void {
  for (const [wing, list] of Object.entries(state.incursions)) {
    const kept = list.filter((i) => i.t1 + p.windowH * HOUR >= before);
    if (kept.length === 0) ddel(state.incursions, wing);
    else dset(state.incursions, wing, kept);
  }
  for (const keys of Object.values(state.deviceKeys)) {
    for (const [key, seen] of Object.entries(keys)) if (seen < before - p.quietDays * DAY) ddel(keys, key);
  }
}
