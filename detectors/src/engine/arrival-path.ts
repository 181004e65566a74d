import type { DroneEvent, HeartbeatEvent, SensorEvent } from '@wachtpost/contracts';
import * as contraband from '../rules/contraband-delivery';
import * as droneDrop from '../rules/drone-drop';
import * as droneIncursion from '../rules/drone-incursion';
import * as sensorOffline from '../rules/sensor-offline';
import { isLatestOf, observeHeartbeat, observeSensor } from './clock';
import type { RuleContext } from './context';
import { holdsDroneReport, observeDrone } from './drone-tracks';
import type { LaneState } from './lane-state';
import { dget } from './dict';
import { SECOND, type EpochMs } from './time';

/** Heartbeat interval assumed for a sensor the site model does not list (validation normally rejects those). */
const FALLBACK_INTERVAL_S = 60;

/**
 * Everything that happens the moment an event arrives, before any watermark: the sensor's liveness, and
 * the rules that need no window (drone incursion and drop, sensor faults). A control room cannot wait.
 */
export function onArrival(ctx: RuleContext, ev: SensorEvent, t: EpochMs): void {
  const interval = ctx.view.index.sensors.get(ev.sensorId)?.heartbeatIntervalS ?? FALLBACK_INTERVAL_S;
  const latenessMs = ctx.params.engine.allowedLatenessS * SECOND;
  const { returned } = observeSensor(ctx.lane.clock, ev.sensorId, t, ev.eventId, interval, latenessMs);
  if (ev.kind === 'heartbeat') onHeartbeat(ctx, ev, t);
  // Back at the time it counts as heard (see observeSensor): the resolve is not dated inside the outage.
  if (returned) sensorOffline.onSensorBack(ctx, ev.sensorId, dget(ctx.lane.clock.sensors, ev.sensorId)!.last);
  if (ev.kind === 'drone') onDrone(ctx, ev, t);
}

/**
 * Whether the lane already holds this heartbeat or drone report: the sensor's latest event, or one of its
 * track's reports. Older heartbeats arriving again change nothing (the newest applied one stands).
 */
export function holdsReport(lane: LaneState, ev: SensorEvent, t: EpochMs): boolean {
  if (ev.kind === 'heartbeat') return isLatestOf(lane.clock, ev.sensorId, t, ev.eventId);
  if (ev.kind === 'drone') return holdsDroneReport(lane.drones, ev, t);
  return false;
}

function onHeartbeat(ctx: RuleContext, ev: HeartbeatEvent, t: EpochMs): void {
  const transition = observeHeartbeat(ctx.lane.clock, ev.sensorId, t, ev.status, ev.intervalS);
  if (transition === 'fault') sensorOffline.onFaultHeartbeat(ctx, ev, t);
  else if (transition === 'recovered') sensorOffline.onSensorBack(ctx, ev.sensorId, t);
}

function onDrone(ctx: RuleContext, ev: DroneEvent, t: EpochMs): void {
  // A controller's position is the pilot, not the drone; it takes no part in incursions.
  if (ev.category === 'controller') return;
  const obs = observeDrone(ctx.lane.drones, ctx.view, ctx.params['drone-incursion'], ev, t);
  droneIncursion.onDroneObservation(ctx, obs, ev, t);
  droneDrop.onDroneObservation(ctx, obs, ev, t);
  if (obs.incidentKey !== null && obs.point && obs.place?.inAirspace) {
    contraband.recordIncursion(
      ctx,
      obs.incidentKey,
      [obs.point[1], obs.point[2]],
      t,
      ev.eventId,
      ev.sensorId,
    );
  }
}
