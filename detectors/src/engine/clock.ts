import { dget, dset, type Dict } from './dict';
import { SECOND, maxOf, type EpochMs } from './time';

type GapKind = 'silent' | 'fault' | 'degraded';
/**
 * A time a sensor may have missed something: silent (declared offline), reporting a fault, or reporting
 * itself degraded. `to` is null while it lasts.
 */
export type Gap = [from: EpochMs, to: EpochMs | null, kind: GapKind];

export interface SensorClock {
  /** Latest event or heartbeat time. */
  last: EpochMs;
  lastId: string | null;
  intervalS: number;
  /** Set when declared offline: the sensor no longer holds the watermark back. */
  offlineSince: EpochMs | null;
  /** Latest heartbeat applied; older heartbeats arriving later do not override it. */
  heartbeatAt: EpochMs | null;
  faultSince: EpochMs | null;
  gaps: Gap[];
}

export interface ClockState {
  sensors: Dict<SensorClock>;
  /** Latest event time seen, or the runtime's clock when it advanced further. */
  observedUntil: EpochMs | null;
  watermark: EpochMs | null;
  /**
   * No live sensor can be overdue before this time (a lower bound, since sensors only get newer), so the
   * per-event offline check is one comparison. Null forces a full scan.
   */
  offlineCheckAt: EpochMs | null;
}

export const emptyClock = (): ClockState => ({
  sensors: {},
  observedUntil: null,
  watermark: null,
  offlineCheckAt: null,
});

const MAX_GAPS = 50;

/**
 * The slowest live sensor's time per clock object, so the watermark needs no scan of every sensor per
 * event. Never part of the state: it lives beside it, keyed by the clock object, and every change this
 * module makes to a sensor's `last` or `offlineSince` keeps it right or drops it. A clock restored from a
 * snapshot is a new object and starts with a full scan. `value` null: no live sensor.
 */
interface Slowest {
  value: EpochMs | null;
}
const slowestOf = new WeakMap<ClockState, Slowest>();

/** A sensor became live (new, or back from offline) at `t`. */
function noteLive(clock: ClockState, t: EpochMs): void {
  const cached = slowestOf.get(clock);
  if (cached && (cached.value === null || t < cached.value)) cached.value = t;
}

/** A live sensor last heard at `last` moved on or went offline: the minimum may have been its. */
function noteLeft(clock: ClockState, last: EpochMs): void {
  const cached = slowestOf.get(clock);
  if (cached && cached.value === last) slowestOf.delete(clock);
}

function sensorClock(clock: ClockState, sensorId: string, t: EpochMs, intervalS: number): SensorClock {
  let sensor = dget(clock.sensors, sensorId);
  if (!sensor) {
    sensor = {
      last: t,
      lastId: null,
      intervalS,
      offlineSince: null,
      heartbeatAt: null,
      faultSince: null,
      gaps: [],
    };
    dset(clock.sensors, sensorId, sensor);
    clock.offlineCheckAt = null;
    noteLive(clock, t);
  }
  return sensor;
}

/**
 * Records that a sensor was heard at `t`; `returned` when it had been declared offline and is back. A
 * sensor back with an event from before the definite time (observed until, less `latenessMs`) is a gateway
 * forwarding what it buffered: it is alive now, so it counts as heard at the definite time, not at `t`.
 */
export function observeSensor(
  clock: ClockState,
  sensorId: string,
  t: EpochMs,
  eventId: string,
  intervalS: number,
  latenessMs = 0,
): { returned: boolean } {
  clock.observedUntil = maxOf(clock.observedUntil, t);
  const sensor = sensorClock(clock, sensorId, t, intervalS);
  if (t < sensor.last || (t === sensor.last && sensor.lastId !== null)) return { returned: false };
  if (sensor.offlineSince === null) {
    if (t !== sensor.last) noteLeft(clock, sensor.last);
    sensor.last = t;
    sensor.lastId = eventId;
    return { returned: false };
  }
  // Heard at its buffered event's time, it was declared offline again at once and flapped through the
  // backlog, one reopen and resolve per forwarded event, and stayed open an hour more as flapping.
  sensor.last = Math.max(t, clock.observedUntil - latenessMs);
  sensor.lastId = eventId;
  sensor.offlineSince = null;
  clock.offlineCheckAt = null;
  noteLive(clock, sensor.last);
  closeGap(sensor, 'silent', t);
  return { returned: true };
}

/** Whether this event is the sensor's latest one, arriving again. */
export function isLatestOf(clock: ClockState, sensorId: string, t: EpochMs, eventId: string): boolean {
  const sensor = dget(clock.sensors, sensorId);
  return sensor !== undefined && sensor.last === t && sensor.lastId === eventId;
}

export type HeartbeatTransition = 'fault' | 'recovered' | null;

/** Applies a heartbeat's status if it is the newest; says whether a fault started, repeated or ended. */
export function observeHeartbeat(
  clock: ClockState,
  sensorId: string,
  t: EpochMs,
  status: 'ok' | 'degraded' | 'fault',
  intervalS: number,
): HeartbeatTransition {
  const sensor = sensorClock(clock, sensorId, t, intervalS);
  // A heartbeat at the instant of the one applied is that one again: a repeat must not repeat a fault.
  if (sensor.heartbeatAt !== null && t <= sensor.heartbeatAt) return null;
  sensor.heartbeatAt = t;
  if (sensor.intervalS !== intervalS) clock.offlineCheckAt = null;
  sensor.intervalS = intervalS;
  // Degraded is still heard, so it raises nothing itself; but what it did not hear may be blindness.
  const degraded = sensor.gaps.some((g) => g[2] === 'degraded' && g[1] === null);
  if (status === 'degraded' && !degraded) pushGap(sensor, [t, null, 'degraded']);
  else if (status !== 'degraded' && degraded) closeGap(sensor, 'degraded', t);
  if (status === 'fault') {
    if (sensor.faultSince === null) {
      sensor.faultSince = t;
      pushGap(sensor, [t, null, 'fault']);
    }
    return 'fault';
  }
  if (sensor.faultSince === null) return null;
  sensor.faultSince = null;
  closeGap(sensor, 'fault', t);
  return 'recovered';
}

/** Makes sensors the engine has not heard yet count as live from `at`, so one that never reports is caught. */
export function expectSensor(clock: ClockState, sensorId: string, at: EpochMs, intervalS: number): void {
  if (dget(clock.sensors, sensorId)) return;
  sensorClock(clock, sensorId, at, intervalS);
  clock.observedUntil = maxOf(clock.observedUntil, at);
}

export interface OfflineDeclaration {
  sensorId: string;
  since: EpochMs;
  last: EpochMs;
  lastId: string | null;
  intervalS: number;
}

/**
 * Declares offline every live sensor silent for `missed` intervals before `definite` (the newest time up
 * to which every event has arrived). Strictly before: an event exactly at `definite` may still come.
 */
export function declareOffline(clock: ClockState, definite: EpochMs, missed: number): OfflineDeclaration[] {
  if (clock.offlineCheckAt !== null && definite <= clock.offlineCheckAt) return [];
  const declared: OfflineDeclaration[] = [];
  let nextCheck: EpochMs | null = null;
  for (const [sensorId, sensor] of Object.entries(clock.sensors)) {
    if (sensor.offlineSince !== null) continue;
    const since = sensor.last + missed * sensor.intervalS * SECOND;
    if (since >= definite) {
      nextCheck = nextCheck === null ? since : Math.min(nextCheck, since);
      continue;
    }
    noteLeft(clock, sensor.last);
    sensor.offlineSince = since;
    pushGap(sensor, [since, null, 'silent']);
    declared.push({ sensorId, since, last: sensor.last, lastId: sensor.lastId, intervalS: sensor.intervalS });
  }
  clock.offlineCheckAt = nextCheck ?? Number.MAX_SAFE_INTEGER;
  return declared.sort((a, b) => a.since - b.since || (a.sensorId < b.sensorId ? -1 : 1));
}

/**
 * The lane's watermark: the minimum over live sensors of their latest time, minus the allowed lateness,
 * never moving backwards. A silent sensor holds it until declared offline; with no live sensor at all it
 * follows the newest time seen.
 */
export function advanceWatermark(clock: ClockState, latenessMs: number): EpochMs | null {
  let cached = slowestOf.get(clock);
  if (!cached) {
    let slowest: EpochMs | null = null;
    for (const sensor of Object.values(clock.sensors)) {
      if (sensor.offlineSince === null && (slowest === null || sensor.last < slowest)) slowest = sensor.last;
    }
    cached = { value: slowest };
    slowestOf.set(clock, cached);
  }
  const base = cached.value ?? clock.observedUntil;
  if (base === null) return clock.watermark;
  clock.watermark = maxOf(clock.watermark, base - latenessMs);
  return clock.watermark;
}

/** Sensors among `sensorIds` that were offline, faulty or degraded at some time in [from, to]. */
export function sensorsWithGaps(
  clock: ClockState,
  sensorIds: readonly string[],
  from: EpochMs,
  to: EpochMs,
): string[] {
  return sensorIds.filter((id) =>
    (dget(clock.sensors, id)?.gaps ?? []).some(
      ([gFrom, gTo]) => gFrom <= to && (gTo === null || gTo >= from),
    ),
  );
}

export function pruneGaps(clock: ClockState, before: EpochMs): void {
  for (const sensor of Object.values(clock.sensors)) {
    sensor.gaps = sensor.gaps.filter(([, to]) => to === null || to >= before);
  }
}

function pushGap(sensor: SensorClock, gap: Gap): void {
  sensor.gaps.push(gap);
  if (sensor.gaps.length > MAX_GAPS) sensor.gaps.shift();
}

function closeGap(sensor: SensorClock, kind: GapKind, at: EpochMs): void {
  for (let i = sensor.gaps.length - 1; i >= 0; i--) {
    const gap = sensor.gaps[i]!;
    if (gap[2] === kind && gap[1] === null) {
      gap[1] = Math.max(at, gap[0]);
      return;
    }
  }
}
