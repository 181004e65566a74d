import type { DroneEvent } from '@wachtpost/contracts';
import type { RuleContext } from '../engine/context';
import { dget } from '../engine/dict';
import type { DroneObservation } from '../engine/drone-tracks';
import type { EpochMs } from '../engine/time';
import { describePlace, wingUnder } from './place-text';

/**
 * drone-incursion (high): a drone track enters the site's airspace. Tracks from several sensors within
 * `fusionWindowS` and `fusionDistanceM` of each other are one incident and one alert; the alert follows
 * the track and names the wing or yard under its latest position. Fires as the report arrives.
 */
export interface DroneIncursionParams {
  fusionWindowS: number;
  fusionDistanceM: number;
  /** An incident quiet this long is closed; a later track opens a new one. */
  incidentGapS: number;
}

export const DRONE_INCURSION_DEFAULTS: DroneIncursionParams = {
  fusionWindowS: 30,
  fusionDistanceM: 200,
  incidentGapS: 300,
};

const RULE = 'drone-incursion';

/** The start of the incident's current pass, for the lifecycle: a new pass after a resolve pages again. */
export function passOf(ctx: RuleContext, incidentKey: string): { since?: EpochMs } {
  const incident = dget(ctx.lane.drones.incidents, incidentKey);
  return incident ? { since: incident.since ?? incident.firstAt } : {};
}

export function onDroneObservation(
  ctx: RuleContext,
  obs: DroneObservation,
  ev: DroneEvent,
  t: EpochMs,
): void {
  // A track outside the airspace, or a bearing-only report of a track never placed inside, is no incursion.
  if (obs.incidentKey === null) return;
  const incident = dget(ctx.lane.drones.incidents, obs.incidentKey);
  const tracks = incident?.tracks.length ?? 1;
  const where = describePlace(ctx.view, obs.place);
  const position = obs.point
    ? ` at ${obs.point[1].toFixed(5)}, ${obs.point[2].toFixed(5)}${obs.point[3] === null ? '' : `, ${obs.point[3]} m`}`
    : '';
  const model = ev.classification?.model ? ` (${ev.classification.model})` : '';
  const wingId = wingUnder(ctx.view, obs.place);
  ctx.raise({
    rule: RULE,
    key: obs.incidentKey,
    at: t,
    severity: 'high',
    title: `Drone incursion over ${where}`,
    summary: `Drone${model} in the airspace, ${tracks} track${tracks === 1 ? '' : 's'}; latest ${ev.detection} report${position} over ${where}.`,
    ...(wingId !== undefined && { wingId }),
    sensorIds: [ev.sensorId],
    evidence: [[t, ev.eventId]],
    fits: [`t:${obs.trackKey}`],
    ...passOf(ctx, obs.incidentKey),
  });
}
