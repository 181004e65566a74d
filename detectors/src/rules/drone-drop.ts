import type { DroneEvent } from '@wachtpost/contracts';
import type { RuleContext } from '../engine/context';
import type { DroneObservation, TrackPoint } from '../engine/drone-tracks';
import type { Evidence } from '../engine/evidence';
import { SECOND, type EpochMs } from '../engine/time';
import { passOf } from './drone-incursion';
import { describePlace, wingUnder } from './place-text';

/**
 * drone-drop (critical): a track over a yard or a wing footprint hovers (ground speed under
 * `hoverSpeedMps` for `hoverMinS` or more) or descends below `dropAltitudeM`. Fires as the report that
 * completes the pattern arrives; one alert per incident.
 */
export interface DroneDropParams {
  hoverSpeedMps: number;
  hoverMinS: number;
  /** Height above ground (the contract's altM, which sensors report above ground level). */
  dropAltitudeM: number;
}

export const DRONE_DROP_DEFAULTS: DroneDropParams = { hoverSpeedMps: 1, hoverMinS: 20, dropAltitudeM: 30 };

const RULE = 'drone-drop';

export function onDroneObservation(
  ctx: RuleContext,
  obs: DroneObservation,
  ev: DroneEvent,
  t: EpochMs,
): void {
  const { point, place } = obs;
  if (obs.incidentKey === null || !point || !place || point[6] === 0) return;
  const p = ctx.params[RULE];
  const where = describePlace(ctx.view, place);
  const low = point[3] !== null && point[3] < p.dropAltitudeM;
  const hover = hoverRun(obs.track.points, point, p);
  if (!low && !hover) return;
  const evidence: Evidence[] = hover ? hover.map((q) => [q[0], q[5]]) : [[t, ev.eventId]];
  const reason = low
    ? `descended to ${point[3]} m (below ${p.dropAltitudeM} m)`
    : `hovered for ${Math.round((hover!.at(-1)![0] - hover![0]![0]) / SECOND)} s under ${p.hoverSpeedMps} m/s`;
  const wingId = wingUnder(ctx.view, place);
  ctx.raise({
    rule: RULE,
    key: obs.incidentKey,
    at: t,
    severity: 'critical',
    title: `Possible drop over ${where}`,
    summary: `Drone ${reason} over ${where}; search the area below.`,
    ...(wingId !== undefined && { wingId }),
    sensorIds: [ev.sensorId],
    evidence,
    fits: [`t:${obs.trackKey}`],
    ...passOf(ctx, obs.incidentKey),
  });
}

/**
 * The run of consecutive slow points over a yard or wing that contains `point`, if it lasts long enough.
 * Points are in time order, so a late report that bridges two runs completes the hover as well.
 */
function hoverRun(points: readonly TrackPoint[], point: TrackPoint, p: DroneDropParams): TrackPoint[] | null {
  const slow = (q: TrackPoint | undefined) =>
    q !== undefined && q[6] === 1 && q[4] !== null && q[4] < p.hoverSpeedMps;
  const at = points.findIndex((q) => q[5] === point[5]);
  if (at < 0 || !slow(points[at])) return null;
  let from = at;
  let to = at;
  while (slow(points[from - 1])) from--;
  while (slow(points[to + 1])) to++;
  const run = points.slice(from, to + 1);
  return run.at(-1)![0] - run[0]![0] >= p.hoverMinS * SECOND ? run : null;
}
