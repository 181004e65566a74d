import { SENSOR_EVENT_KINDS, TOKEN_PATTERN, type SensorEventKind } from './sensor-event';

export const SENSORS_STREAM = 'SENSORS';
export const ALERTS_STREAM = 'ALERTS';
export const SENSOR_SUBJECTS = 'sensors.v1.>';
export const ALERT_SUBJECTS = 'alerts.v1.>';
/** Durable consumers on SENSORS. */
export const INGEST_CONSUMER = 'ingest';
export const DETECTORS_CONSUMER = 'detectors';

export interface SensorSubject {
  siteId: string;
  kind: SensorEventKind;
  sensorId: string;
}

export function sensorSubject({ siteId, kind, sensorId }: SensorSubject): string {
  return `sensors.v1.${siteId}.${kind}.${sensorId}`;
}

export type SubjectParse = { ok: true; value: SensorSubject } | { ok: false; error: string };

export function parseSensorSubject(subject: string): SubjectParse {
  const parts = subject.split('.');
  if (parts.length !== 5 || parts[0] !== 'sensors' || parts[1] !== 'v1') {
    return { ok: false, error: `subject "${subject}" is not sensors.v1.<siteId>.<kind>.<sensorId>` };
  }
  const [, , siteId = '', kind = '', sensorId = ''] = parts;
  if (!TOKEN_PATTERN.test(siteId)) return { ok: false, error: `subject siteId "${siteId}" is malformed` };
  if (!(SENSOR_EVENT_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, error: `subject kind "${kind}" is not one of ${SENSOR_EVENT_KINDS.join(', ')}` };
  }
  if (!TOKEN_PATTERN.test(sensorId))
    return { ok: false, error: `subject sensorId "${sensorId}" is malformed` };
  return { ok: true, value: { siteId, kind: kind as SensorEventKind, sensorId } };
}

/** Alerts go to `alerts.v1.<siteId>.<wingId or "site">`. */
export function alertSubject(siteId: string, wingId?: string): string {
  return `alerts.v1.${siteId}.${wingId ?? 'site'}`;
}
