import {
  Alert,
  SensorEvent,
  SiteModel,
  type DroneEvent,
  type GsmEvent,
  type HeartbeatEvent,
  type RosterEvent,
  type SearchEvent,
  type SensorEventInput,
} from '@wachtpost/contracts';
import type { AlertChange } from '../engine/alert-book';
import { createEngine, type Engine } from '../engine/engine';
import type { EngineState } from '../engine/lane-state';
import { MINUTE, toIso, toMs } from '../engine/time';
import type { DetectorParamsInput } from '../params';
import type { RuleId } from '../rules/rule-ids';

/**
 * A small institution for the detector tests: two neighbouring wings sharing a yard, a third wing
 * 300 m away with its own yard, GSM sensors per wing, two drone sensors, search and roster gateways.
 */
export const TEST_SITE: SiteModel = SiteModel.parse({
  id: 'pi-test',
  name: 'PI Test',
  timezone: 'Europe/Amsterdam',
  airspace: [
    [51.664, 5.284],
    [51.664, 5.296],
    [51.656, 5.296],
    [51.656, 5.284],
  ],
  wings: [
    {
      id: 'a',
      name: 'Afdeling A',
      regime: 'regular',
      footprint: [
        [51.6615, 5.286],
        [51.6615, 5.288],
        [51.6625, 5.288],
        [51.6625, 5.286],
      ],
      cells: ['a-01', 'a-02', 'a-03'],
    },
    {
      id: 'b',
      name: 'Afdeling B',
      regime: 'hvb',
      footprint: [
        [51.6615, 5.2885],
        [51.6615, 5.2905],
        [51.6625, 5.2905],
        [51.6625, 5.2885],
      ],
      cells: ['b-01', 'b-02'],
    },
    {
      id: 'e',
      name: 'Afdeling E',
      regime: 'regular',
      footprint: [
        [51.6585, 5.2865],
        [51.6585, 5.2885],
        [51.6592, 5.2885],
        [51.6592, 5.2865],
      ],
      cells: ['e-01'],
    },
  ],
  zones: [
    { id: 'a-corridor', type: 'corridor', wingIds: ['a'] },
    {
      id: 'yard-1',
      type: 'yard',
      wingIds: ['a', 'b'],
      polygon: [
        [51.6603, 5.287],
        [51.6603, 5.2895],
        [51.661, 5.2895],
        [51.661, 5.287],
      ],
    },
    {
      id: 'yard-2',
      type: 'yard',
      wingIds: ['e'],
      polygon: [
        [51.6575, 5.2865],
        [51.6575, 5.2885],
        [51.658, 5.2885],
        [51.658, 5.2865],
      ],
    },
  ],
  sensors: [
    { id: 'gsm-a', kind: 'gsm', zoneIds: ['a-01', 'a-02', 'a-03', 'a-corridor'], heartbeatIntervalS: 3600 },
    { id: 'gsm-b', kind: 'gsm', zoneIds: ['b-01', 'b-02', 'yard-1'], heartbeatIntervalS: 3600 },
    { id: 'gsm-e', kind: 'gsm', zoneIds: ['e-01', 'yard-2'], heartbeatIntervalS: 3600 },
    { id: 'radar-1', kind: 'drone', zoneIds: [], heartbeatIntervalS: 3600 },
    { id: 'rf-1', kind: 'drone', zoneIds: [], heartbeatIntervalS: 3600 },
    { id: 'search-gw', kind: 'search', zoneIds: [], heartbeatIntervalS: 3600 },
    { id: 'roster-gw', kind: 'roster', zoneIds: [], heartbeatIntervalS: 3600 },
  ],
  allowlist: { deviceKeys: ['svc-1'] },
});

/** Points on the test site. */
export const SPOTS = {
  overA: { lat: 51.662, lon: 5.287 },
  overB: { lat: 51.662, lon: 5.2895 },
  overYard1: { lat: 51.6606, lon: 5.288 },
  overE: { lat: 51.6588, lon: 5.2875 },
  /** In the airspace, over nothing, more than 100 m from any wing. */
  openGround: { lat: 51.6572, lon: 5.2935 },
  outside: { lat: 51.67, lon: 5.3 },
} as const;

type Overrides<T> = Partial<Omit<T, 'v' | 'kind' | 'eventId' | 'observedAt'>>;
const base = (eventId: string, at: string) => ({
  v: 1 as const,
  eventId,
  siteId: TEST_SITE.id,
  observedAt: toIso(toMs(at)),
});
const parse = <T extends SensorEvent>(input: SensorEventInput) => SensorEvent.parse(input) as T;

export function gsm(eventId: string, at: string, zoneId: string, more: Overrides<GsmEvent> = {}): GsmEvent {
  const sensorId = zoneId.startsWith('a')
    ? 'gsm-a'
    : zoneId.startsWith('e') || zoneId === 'yard-2'
      ? 'gsm-e'
      : 'gsm-b';
  return parse({
    ...base(eventId, at),
    kind: 'gsm',
    sensorId,
    zoneId,
    tech: '4g',
    rssiDbm: -70,
    durationS: 30,
    ...more,
  });
}

export function drone(
  eventId: string,
  at: string,
  trackId: string,
  where: { lat: number; lon: number; altM?: number } | null,
  more: Overrides<DroneEvent> = {},
): DroneEvent {
  return parse({
    ...base(eventId, at),
    kind: 'drone',
    sensorId: 'radar-1',
    trackId,
    phase: 'update',
    detection: 'radar',
    ...(where && { position: { lat: where.lat, lon: where.lon, altM: where.altM ?? 60 } }),
    groundSpeedMps: 6,
    ...more,
  });
}

export function search(
  eventId: string,
  at: string,
  cellIds: string[],
  found: { category: 'phone' | 'sim' | 'drugs'; cellId: string; deviceKey?: string }[] = [],
  more: Overrides<SearchEvent> = {},
): SearchEvent {
  const t = toMs(at);
  return parse({
    ...base(eventId, at),
    kind: 'search',
    sensorId: 'search-gw',
    searchId: `srch-${eventId}`,
    type: 'cell-inspection',
    trigger: 'routine',
    cellIds,
    startedAt: toIso(t - 30 * MINUTE),
    endedAt: toIso(t - 10 * MINUTE),
    findings: found.map((f) => ({ qty: 1, ...f })),
    ...more,
  });
}

export function roster(
  eventId: string,
  at: string,
  detaineeId: string,
  action: 'admit' | 'move' | 'release',
  cellId: string | undefined,
  effectiveAt = at,
): RosterEvent {
  return parse({
    ...base(eventId, at),
    kind: 'roster',
    sensorId: 'roster-gw',
    detaineeId,
    action,
    ...(cellId !== undefined && { cellId }),
    effectiveAt: toIso(toMs(effectiveAt)),
  });
}

export function heartbeat(
  eventId: string,
  at: string,
  sensorId: string,
  status: 'ok' | 'degraded' | 'fault' = 'ok',
  more: Overrides<HeartbeatEvent> = {},
): HeartbeatEvent {
  return parse({ ...base(eventId, at), kind: 'heartbeat', sensorId, status, intervalS: 3600, ...more });
}

/** Marks events as exercise traffic. */
export const asExercise = <T extends SensorEvent>(ev: T): T => ({ ...ev, exercise: true });

export interface RunOptions {
  /** Heartbeats from every sensor every this many minutes keep them live and move the watermark (0: none). */
  heartbeatEveryMin?: number;
  /** Feed heartbeats up to this time at the end (default: one beat interval and 10 minutes after the newest event). */
  until?: string;
  /** Publish coalesced repeats at the end. */
  flush?: boolean;
  /** Send the heartbeats as exercise traffic too (the simulator does, for exercise lanes). */
  exerciseHeartbeats?: boolean;
}

export interface Harness {
  engine: Engine;
  state: EngineState;
  changes: AlertChange[];
  /** Feeds events in the given (arrival) order with heartbeats interleaved; returns the new changes. */
  run(events: readonly SensorEvent[], options?: RunOptions): AlertChange[];
  alerts(rule?: RuleId): Alert[];
  changesOf(rule: RuleId): AlertChange[];
}

export function harness(params: DetectorParamsInput = {}, site: SiteModel = TEST_SITE): Harness {
  const engine = createEngine([site], { detectorParams: { [site.id]: params } });
  const h: Harness = {
    engine,
    state: engine.initialState(),
    changes: [],
    run(events, options = {}) {
      const every = (options.heartbeatEveryMin ?? 10) * MINUTE;
      const out: AlertChange[] = [];
      let beatAt: number | null = null;
      let beat = 0;
      const beatsUpTo = (upTo: number) => {
        if (every === 0 || beatAt === null) return;
        for (; beatAt <= upTo; beatAt += every) {
          for (const sensor of site.sensors) {
            const hb = heartbeat(`hb-${sensor.id}-${beatAt}-${beat++}`, toIso(beatAt), sensor.id);
            out.push(...engine.step(h.state, hb).changes);
            if (options.exerciseHeartbeats)
              out.push(...engine.step(h.state, asExercise({ ...hb, eventId: `x${hb.eventId}` })).changes);
          }
        }
      };
      let newest = -Infinity;
      for (const ev of events) {
        const t = toMs(ev.observedAt);
        beatAt ??= Math.floor((t - every) / MINUTE) * MINUTE;
        beatsUpTo(Math.max(newest, t));
        newest = Math.max(newest, t);
        out.push(...engine.step(h.state, ev).changes);
      }
      if (beatAt !== null) beatsUpTo(options.until ? toMs(options.until) : newest + every + 10 * MINUTE);
      if (options.flush ?? true) out.push(...engine.flush(h.state).changes);
      for (const change of out) Alert.parse(change.alert);
      h.changes.push(...out);
      return out;
    },
    alerts: (rule) => engine.alerts(h.state).filter((a) => rule === undefined || a.rule === rule),
    changesOf: (rule) => h.changes.filter((c) => c.alert.rule === rule),
  };
  return h;
}
