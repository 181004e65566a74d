import type { HeartbeatEvent } from '@wachtpost/contracts';
import { autoResolve, currentRecord } from '../engine/alert-book';
import type { OfflineDeclaration } from '../engine/clock';
import type { RuleContext } from '../engine/context';
import { dget } from '../engine/dict';
import { toIso, type EpochMs } from '../engine/time';
import { placeOfZones } from './place-text';

/**
 * sensor-offline (high): no heartbeat or event from a sensor for `missedIntervals` times its heartbeat
 * interval, or a heartbeat reporting `fault`. Resolves itself when the sensor is heard again (and no
 * longer faulty); while it lasts, correlations on its zones are marked incomplete.
 */
export interface SensorOfflineParams {
  missedIntervals: number;
}

export const SENSOR_OFFLINE_DEFAULTS: SensorOfflineParams = { missedIntervals: 3 };

const RULE = 'sensor-offline';

function sensorDraftBase(ctx: RuleContext, sensorId: string) {
  const zoneIds = ctx.view.index.sensors.get(sensorId)?.zoneIds ?? [];
  const zonesText = zoneIds.length > 0 ? zoneIds.join(', ') : 'its coverage';
  return {
    zonesText,
    place: placeOfZones(ctx.view, zoneIds),
    fits: [`s:${sensorId}`],
    sensorIds: [sensorId],
  };
}

/** The clock found the sensor silent for too long. */
export function onDeclaredOffline(ctx: RuleContext, d: OfflineDeclaration): void {
  const base = sensorDraftBase(ctx, d.sensorId);
  const heard = d.lastId === null ? 'it was expected' : 'its last report';
  ctx.raise({
    rule: RULE,
    key: d.sensorId,
    at: d.since,
    severity: 'high',
    title: `Sensor ${d.sensorId} offline`,
    summary:
      `Nothing from ${d.sensorId} for ${ctx.params[RULE].missedIntervals} × ${d.intervalS} s since ${heard} at ` +
      `${toIso(d.last)}; correlations on ${base.zonesText} are incomplete until it returns.`,
    ...base.place,
    sensorIds: base.sensorIds,
    evidence: d.lastId === null ? [] : [[d.last, d.lastId]],
    fits: base.fits,
  });
}

/** A heartbeat said `fault`: no window needed, the control room hears at once. */
export function onFaultHeartbeat(ctx: RuleContext, ev: HeartbeatEvent, t: EpochMs): void {
  // A fault that goes on is no news while its alert is open: a revision per heartbeat (80 for a 40-minute
  // fault at 30 s) kept bumping the alert. Its start raises, and so does a beat after the alert was closed.
  const faultSince = dget(ctx.lane.clock.sensors, ev.sensorId)?.faultSince ?? t;
  const current = currentRecord(ctx.bc, RULE, ev.sensorId);
  if (faultSince < t && current && current.alert.status !== 'resolved') return;
  const base = sensorDraftBase(ctx, ev.sensorId);
  ctx.raise({
    rule: RULE,
    key: ev.sensorId,
    at: t,
    severity: 'high',
    title: `Sensor ${ev.sensorId} reports a fault`,
    summary:
      `${ev.sensorId} reported a fault at ${toIso(t)}${ev.detail ? `: ${ev.detail}` : ''}; ` +
      `correlations on ${base.zonesText} are incomplete until it recovers.`,
    ...base.place,
    sensorIds: base.sensorIds,
    evidence: [[t, ev.eventId]],
    fits: base.fits,
  });
}

/** The sensor was heard again or its heartbeat recovered; resolves once it is neither silent nor faulty. */
export function onSensorBack(ctx: RuleContext, sensorId: string, t: EpochMs): void {
  const sensor = dget(ctx.lane.clock.sensors, sensorId);
  if (sensor && (sensor.offlineSince !== null || sensor.faultSince !== null)) return;
  autoResolve(ctx.bc, RULE, sensorId, t);
}
