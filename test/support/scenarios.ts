import type { SensorEventInput } from '@wachtpost/contracts';
import { demoSite } from './events';

/**
 * Scenario acceptance for the detectors: sensor traffic of the demo site telling one story each, with the
 * alerts it must raise and nothing else. Times are fixed relative to midnight UTC six days ago, so every
 * event lies inside the stream's 7-day clock window and well in the past. The traffic is exercise traffic,
 * as the simulator's is: exercise lanes run on event time only, so the wall-clock tick of the runtime cannot
 * close these windows early, and two runs of one scenario are comparable revision by revision. Every sensor
 * of the site beats every hour (announcing a one-hour interval), which moves the watermark over the story.
 */
export interface ExpectedAlert {
  rule: string;
  key: string;
  severity: string;
  status: string;
}

export interface Scenario {
  name: string;
  /** In publication order: by time, heartbeats interleaved. */
  events: SensorEventInput[];
  expected: ExpectedAlert[];
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const now = new Date();
/** Midnight UTC six days ago: the anchor of every scenario. */
export const ANCHOR = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 6);
const iso = (ms: number) => new Date(ms).toISOString();
/** A time `days` and `hours` after the anchor. */
export const at = (days: number, hours = 0) => ANCHOR + days * 24 * HOUR + hours * HOUR;

export const alertIdOf = (e: Pick<ExpectedAlert, 'rule' | 'key'>) => `demo.exercise:${e.rule}:${e.key}`;

const base = (eventId: string, t: number) => ({
  v: 1 as const,
  eventId,
  siteId: 'demo',
  observedAt: iso(t),
  exercise: true,
});

export const gsm = (
  eventId: string,
  t: number,
  sensorId: string,
  zoneId: string,
  more: { deviceKey?: string } = {},
): SensorEventInput => ({
  ...base(eventId, t),
  kind: 'gsm',
  sensorId,
  zoneId,
  tech: '4g',
  rssiDbm: -68,
  durationS: 45,
  activity: 'call',
  ...more,
});

export const droneReport = (
  eventId: string,
  t: number,
  trackId: string,
  where: { lat: number; lon: number; altM: number },
  speedMps: number,
  phase: 'start' | 'update' | 'end' = 'update',
): SensorEventInput => ({
  ...base(eventId, t),
  kind: 'drone',
  sensorId: 'radar-1',
  trackId,
  phase,
  detection: 'radar',
  category: 'drone',
  position: where,
  groundSpeedMps: speedMps,
});

export const roster = (
  eventId: string,
  t: number,
  detaineeId: string,
  action: 'admit' | 'move',
  cellId: string,
): SensorEventInput => ({
  ...base(eventId, t),
  kind: 'roster',
  sensorId: 'roster-gw',
  detaineeId,
  action,
  cellId,
  effectiveAt: iso(t),
});

export const search = (
  eventId: string,
  t: number,
  cellIds: string[],
  findings: { category: 'phone' | 'sim' | 'drugs'; cellId: string }[],
): SensorEventInput => ({
  ...base(eventId, t),
  kind: 'search',
  sensorId: 'search-gw',
  searchId: `srch-${eventId}`,
  type: 'cell-inspection',
  trigger: 'routine',
  cellIds,
  startedAt: iso(t - 50 * MINUTE),
  endedAt: iso(t - 10 * MINUTE),
  occupants: [],
  findings: findings.map((f) => ({ ...f, qty: 1 })),
});

/**
 * Hourly heartbeats of every demo sensor over [from, to], except the silences given, merged with the
 * story's events in time order (a heartbeat before an event of the same instant).
 */
export function withHeartbeats(
  story: SensorEventInput[],
  from: number,
  to: number,
  silences: { sensorId: string; from: number; to: number }[] = [],
): SensorEventInput[] {
  const beats: SensorEventInput[] = [];
  for (let t = from; t <= to; t += HOUR) {
    for (const sensor of demoSite.site.sensors) {
      const silent = silences.some((s) => s.sensorId === sensor.id && t > s.from && t < s.to);
      if (silent) continue;
      beats.push({
        ...base(`hb-${sensor.id}-${t / MINUTE}`, t),
        kind: 'heartbeat',
        sensorId: sensor.id,
        status: 'ok',
        intervalS: 3600,
      });
    }
  }
  const rank = (e: SensorEventInput) => (e.kind === 'heartbeat' ? 0 : 1);
  return [...beats, ...story].sort(
    (a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt) || rank(a) - rank(b),
  );
}

/** Over wing A's footprint, 60 m up. */
const OVER_WING_A = { lat: 51.662, lon: 5.287, altM: 60 };

/**
 * A drone comes over wing A at night and hovers there for 40 s (a drop); half an hour later a phone calls
 * from a cell of wing A that had been quiet: the drone incursion, the drop and the contraband delivery.
 */
export function droneDropScenario(): Scenario {
  const t0 = at(1, 23);
  const track = Array.from({ length: 9 }, (_, i) =>
    droneReport(
      `dd-radar-${i}`,
      t0 + i * 5000,
      'trk-night-1',
      OVER_WING_A,
      0.3,
      i === 0 ? 'start' : 'update',
    ),
  );
  const story = [...track, gsm('dd-gsm-1', t0 + 30 * MINUTE, 'gsm-a-1', 'a-05')];
  return {
    name: 'a drone drop at night followed by a phone in the wing below',
    events: withHeartbeats(story, at(1, 20), at(2, 2)),
    expected: [
      { rule: 'contraband-delivery', key: 'a', severity: 'critical', status: 'open' },
      { rule: 'drone-drop', key: 'radar-1/trk-night-1', severity: 'critical', status: 'open' },
      { rule: 'drone-incursion', key: 'radar-1/trk-night-1', severity: 'high', status: 'open' },
    ],
  };
}

/**
 * A detainee whose cell had a phone two nights running is moved to a cell in wing B; the phone goes quiet
 * in the old cell and starts in the new one the same evening. The alert comes when the old cell has been
 * quiet for 48 hours.
 */
export function phoneFollowsScenario(): Scenario {
  const move = at(2, 10);
  const story = [
    roster('pf-admit', at(0, 8), 'det-0042', 'admit', 'a-12'),
    gsm('pf-a-1', at(0, 23), 'gsm-a-2', 'a-12'),
    gsm('pf-a-2', at(1, 23), 'gsm-a-2', 'a-12'),
    roster('pf-move', move, 'det-0042', 'move', 'b-07'),
    gsm('pf-b-1', move + 11.5 * HOUR, 'gsm-b-1', 'b-07'),
  ];
  return {
    name: 'a phone that follows a detainee to a new cell',
    events: withHeartbeats(story, at(0, 6), move + 50 * HOUR),
    expected: [{ rule: 'phone-follows-detainee', key: 'det-0042', severity: 'critical', status: 'open' }],
  };
}

/** A search of cell c-05 finds nothing; five hours later a phone calls from c-05. */
export function searchMissedScenario(): Scenario {
  const story = [search('sm-1', at(1, 9), ['c-05'], []), gsm('sm-gsm-1', at(1, 14), 'gsm-c-1', 'c-05')];
  return {
    name: 'a search that misses',
    events: withHeartbeats(story, at(1, 6), at(1, 17)),
    expected: [{ rule: 'search-missed', key: 'c-05', severity: 'high', status: 'open' }],
  };
}

/**
 * The GSM sensor of wing D's first corridor stops beating after 06:00 and is back at 12:00: offline once
 * three of its intervals have passed, resolved by itself when it returns.
 */
export function sensorOutageScenario(): Scenario {
  return {
    name: 'a sensor outage',
    events: withHeartbeats([], at(1, 3), at(1, 15), [{ sensorId: 'gsm-d-1', from: at(1, 6), to: at(1, 12) }]),
    expected: [{ rule: 'sensor-offline', key: 'gsm-d-1', severity: 'high', status: 'resolved' }],
  };
}

export const scenarios = [
  droneDropScenario,
  phoneFollowsScenario,
  searchMissedScenario,
  sensorOutageScenario,
];

/**
 * The four stories at once, over four and a half days, with one heartbeat schedule (and the outage): a long
 * enough run to interrupt at several places.
 */
export function allStoriesScenario(): Scenario {
  const stories = scenarios.map((make) => make());
  return {
    name: 'all four stories in one run',
    events: withHeartbeats(
      stories.flatMap((s) => s.events.filter((e) => e.kind !== 'heartbeat')),
      at(0, 6),
      at(4, 13),
      [{ sensorId: 'gsm-d-1', from: at(1, 6), to: at(1, 12) }],
    ),
    expected: stories.flatMap((s) => s.expected),
  };
}
