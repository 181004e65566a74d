import { indexSite, SensorEvent, type SensorEventInput, type SiteModel } from '@wachtpost/contracts';
import { eventId } from '../generator/event-ids';
import { applyFault } from '../messages/faults';
import { toMessage, type TimedMessage } from '../messages/message';
import { Rng } from '../rng';
import { ScenarioError, type Expectation, type Scenario, type ScenarioIssue, type Step } from './schema';
import { DAY, localMidnight, resolveTime, type ScenarioTime } from './times';

const MINUTE = 60_000;

export interface CompileOptions {
  /** Epoch ms of day 0, 00:00 in the site's time zone (see `defaultOrigin`). */
  origin: number;
  /** Overrides the file's seed. */
  seed?: number;
}

/** An expectation with the instant of the step or fault that should trigger it. */
export interface CompiledExpectation extends Expectation {
  index: number;
  /** Epoch ms of the triggering step (a fault's start). */
  afterAt: number;
}

export interface CompiledScenario {
  name: string;
  siteId: string;
  origin: number;
  /** The span the heartbeats cover, epoch ms. */
  from: number;
  to: number;
  /**
   * In publication order (`at`): by time, heartbeats before events of the same instant; a forwarded backlog
   * (`silent` with `forward`) goes first at its window's end, its events keeping their own observedAt.
   */
  messages: TimedMessage[];
  /** Each step's and fault's instant, by id (and `timeline[i]` / `faults[i]`). */
  instants: Record<string, number>;
  expectations: CompiledExpectation[];
}

/**
 * The origin that puts the whole scenario behind the wall clock: the local midnight as many whole days before
 * today as the scenario spans (at least one), so the last event lies before `now` and ingest's clock check
 * never rejects it, however fast it is replayed.
 */
export function defaultOrigin(scenario: Scenario, site: SiteModel, now: number): number {
  const probe = localMidnight(site.timezone, now, 30);
  const { to } = resolveSpan(scenario, site, probe);
  let days = Math.max(1, Math.ceil((to - probe) / DAY));
  let origin = localMidnight(site.timezone, now, days);
  while (resolveSpan(scenario, site, origin).to > now) origin = localMidnight(site.timezone, now, ++days);
  return origin;
}

/** The span, and the last instant any step or fault reaches, whichever is later. */
function resolveSpan(scenario: Scenario, site: SiteModel, origin: number): { from: number; to: number } {
  const at = (t: ScenarioTime, base: number) => resolveTime(t, origin, site.timezone, base);
  const from = at(scenario.span.from, origin);
  let to = at(scenario.span.to, origin);
  let previous = origin;
  for (const step of scenario.timeline) to = Math.max(to, (previous = at(step.at, previous)));
  return { from, to };
}

function centroid(points: readonly (readonly [number, number])[]): { lat: number; lon: number } {
  const lat = points.reduce((s, p) => s + p[0], 0) / points.length;
  const lon = points.reduce((s, p) => s + p[1], 0) / points.length;
  return { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Compiles a scenario to the sensor messages it sends, in publication order. Pure and deterministic: the same
 * scenario, site, origin and seed give the same messages, byte for byte. Every event is exercise traffic and
 * valid against the contract (faults aside); the site's sensors beat every `heartbeatEvery` over the span,
 * announcing that interval, so the exercise lane's watermark moves over the story.
 */
export function compileScenario(
  scenario: Scenario,
  site: SiteModel,
  options: CompileOptions,
): CompiledScenario {
  const index = indexSite(site);
  const source = scenario.name;
  const issues: ScenarioIssue[] = [];
  if (scenario.site !== site.id)
    issues.push({ path: 'site', message: `the scenario is for site "${scenario.site}", not "${site.id}"` });
  const { origin } = options;
  const rng = Rng.create(options.seed ?? scenario.seed, `scenario:${scenario.name}`);
  const at = (t: ScenarioTime, base: number) => resolveTime(t, origin, site.timezone, base);
  const from = at(scenario.span.from, origin);
  const to = at(scenario.span.to, origin);
  if (to < from) issues.push({ path: 'span.to', message: 'lies before span.from' });

  const sensorOfKind = (kind: string) => site.sensors.find((s) => s.kind === kind)?.id;
  const checkSensor = (id: string, path: string, kind?: string) => {
    const sensor = index.sensors.get(id);
    if (!sensor) issues.push({ path, message: `site ${site.id} has no sensor "${id}"` });
    else if (kind && sensor.kind !== kind)
      issues.push({ path, message: `sensor "${id}" is a ${sensor.kind} sensor, not ${kind}` });
  };
  const checkCell = (cell: string, path: string) => {
    if (!index.wingOfCell.has(cell)) issues.push({ path, message: `site ${site.id} has no cell "${cell}"` });
  };
  const gsmSensorOf = (cell: string) =>
    site.sensors.find((s) => s.kind === 'gsm' && s.zoneIds.includes(cell))?.id;

  // Actors.
  const drones = new Map<
    string,
    { sensor: string; trackId: string; where: { lat: number; lon: number; altM: number } }
  >();
  for (const [id, d] of Object.entries(scenario.actors.drones)) {
    checkSensor(d.sensor, `actors.drones.${id}.sensor`, 'drone');
    const wing = site.wings.find((w) => w.id === d.over);
    const polygon = wing?.footprint ?? index.zones.get(d.over)?.polygon;
    if (!polygon)
      issues.push({
        path: `actors.drones.${id}.over`,
        message: `no wing footprint or zone polygon "${d.over}"`,
      });
    else
      drones.set(id, {
        sensor: d.sensor,
        trackId: d.trackId ?? id,
        where: { ...centroid(polygon), altM: d.altM },
      });
  }
  const cellOf = new Map<string, string | undefined>();
  for (const [id, d] of Object.entries(scenario.actors.detainees)) {
    checkCell(d.cell, `actors.detainees.${id}.cell`);
    cellOf.set(id, d.cell);
  }
  const phoneCell = new Map<string, string>();
  for (const [id, p] of Object.entries(scenario.actors.phones)) {
    if (p.cell) {
      checkCell(p.cell, `actors.phones.${id}.cell`);
      phoneCell.set(id, p.cell);
    }
    if (p.carriedBy && !cellOf.has(p.carriedBy))
      issues.push({
        path: `actors.phones.${id}.carriedBy`,
        message: `no detainee "${p.carriedBy}" among the actors`,
      });
    if (p.sensor) checkSensor(p.sensor, `actors.phones.${id}.sensor`, 'gsm');
  }
  const rosterSensor = sensorOfKind('roster');
  const searchSensor = sensorOfKind('search');

  const story: SensorEventInput[] = [];
  const base = (sensorId: string, t: number) => ({
    v: 1 as const,
    eventId: eventId(rng, t),
    siteId: site.id,
    sensorId,
    observedAt: iso(t),
    exercise: true,
  });
  const roster = (t: number, detaineeId: string, action: 'admit' | 'move' | 'release', cellId?: string) => {
    if (!rosterSensor) return;
    story.push({
      ...base(rosterSensor, t),
      kind: 'roster',
      detaineeId,
      action,
      ...(cellId && { cellId }),
      effectiveAt: iso(t),
    });
  };
  const needs = (sensor: string | undefined, kind: string, path: string) => {
    if (!sensor) issues.push({ path, message: `site ${site.id} has no ${kind} sensor` });
  };
  if (cellOf.size > 0) needs(rosterSensor, 'roster', 'actors.detainees');
  for (const [id, cell] of cellOf) roster(from, id, 'admit', cell);

  // The timeline, in order: relative times follow the previous step.
  const instants: Record<string, number> = {};
  let previous = origin;
  scenario.timeline.forEach((step: Step, i) => {
    const path = `timeline[${i}]`;
    const t = at(step.at, previous);
    if (t < previous && i > 0)
      issues.push({ path: `${path}.at`, message: 'lies before the previous step (steps are in time order)' });
    previous = t;
    instants[path] = t;
    if (step.id) instants[step.id] = t;
    switch (step.kind) {
      case 'drone': {
        const drone = drones.get(step.drone);
        if (!drone) {
          if (!(step.drone in scenario.actors.drones))
            issues.push({ path: `${path}.drone`, message: `no drone "${step.drone}" among the actors` });
          return;
        }
        const every = Math.max(1000, step.every);
        for (let k = 0; k * every <= step.hover; k++) {
          story.push({
            ...base(drone.sensor, t + k * every),
            kind: 'drone',
            trackId: drone.trackId,
            phase: k === 0 ? 'start' : 'update',
            detection: 'radar',
            category: 'drone',
            position: drone.where,
            groundSpeedMps: 0.3,
          });
        }
        return;
      }
      case 'phone': {
        const actor = scenario.actors.phones[step.phone];
        if (!actor) {
          issues.push({ path: `${path}.phone`, message: `no phone "${step.phone}" among the actors` });
          return;
        }
        if (step.cell) {
          checkCell(step.cell, `${path}.cell`);
          phoneCell.set(step.phone, step.cell);
        }
        const cell =
          step.cell ??
          phoneCell.get(step.phone) ??
          (actor.carriedBy ? cellOf.get(actor.carriedBy) : undefined);
        if (!cell) {
          issues.push({ path: `${path}.phone`, message: `phone "${step.phone}" is in no cell at this time` });
          return;
        }
        const sensor = actor.sensor ?? gsmSensorOf(cell);
        if (!sensor) {
          issues.push({
            path: `${path}.phone`,
            message: `no GSM sensor of site ${site.id} covers cell ${cell}`,
          });
          return;
        }
        story.push({
          ...base(sensor, t),
          kind: 'gsm',
          zoneId: cell,
          tech: actor.tech,
          rssiDbm: -60 - rng.int(0, 20),
          durationS: step.durationS,
          activity: step.activity,
          ...(actor.deviceKey && { deviceKey: actor.deviceKey }),
        });
        return;
      }
      case 'admit':
      case 'move': {
        const detainee = step.kind === 'admit' ? step.admit : step.move;
        const cell = step.kind === 'admit' ? step.cell : step.to;
        checkCell(cell, `${path}.${step.kind === 'admit' ? 'cell' : 'to'}`);
        if (step.kind === 'move' && !cellOf.get(detainee))
          issues.push({ path: `${path}.move`, message: `detainee "${detainee}" is not housed at this time` });
        needs(rosterSensor, 'roster', path);
        cellOf.set(detainee, cell);
        roster(t, detainee, step.kind, cell);
        return;
      }
      case 'release':
        if (!cellOf.get(step.release))
          issues.push({
            path: `${path}.release`,
            message: `detainee "${step.release}" is not housed at this time`,
          });
        needs(rosterSensor, 'roster', path);
        cellOf.set(step.release, undefined);
        roster(t, step.release, 'release');
        return;
      case 'search': {
        step.search.forEach((c, k) => checkCell(c, `${path}.search[${k}]`));
        step.findings.forEach((f, k) => checkCell(f.cell, `${path}.findings[${k}].cell`));
        needs(searchSensor, 'search', path);
        if (!searchSensor) return;
        const e = base(searchSensor, t);
        story.push({
          ...e,
          kind: 'search',
          searchId: `srch-${e.eventId}`,
          type: step.type,
          trigger: step.trigger,
          cellIds: step.search,
          // The report is filed after the search: it ran from 50 to 10 minutes before.
          startedAt: iso(t - 50 * MINUTE),
          endedAt: iso(t - 10 * MINUTE),
          occupants: [...cellOf]
            .filter(([, c]) => c && step.search.includes(c))
            .map(([d]) => d)
            .sort(),
          findings: step.findings.map((f) => ({ category: f.category, qty: f.qty, cellId: f.cell })),
        });
        return;
      }
    }
  });

  // Faults.
  const silences: { sensorId: string; from: number; to: number; forward: boolean; path: string }[] = [];
  const statuses: { sensorId: string; from: number; to: number; status: 'degraded' | 'fault' }[] = [];
  const broken: TimedMessage[] = [];
  scenario.faults.forEach((fault, i) => {
    const path = `faults[${i}]`;
    switch (fault.kind) {
      case 'silent':
      case 'status': {
        const sensorId = fault.kind === 'silent' ? fault.silent : fault.sensor;
        checkSensor(sensorId, `${path}.${fault.kind === 'silent' ? 'silent' : 'sensor'}`);
        const window = { sensorId, from: at(fault.from, origin), to: at(fault.to, origin) };
        if (window.to < window.from) issues.push({ path: `${path}.to`, message: 'lies before from' });
        instants[path] = window.from;
        if (fault.id) instants[fault.id] = window.from;
        if (fault.kind === 'silent') silences.push({ ...window, forward: fault.forward, path });
        else statuses.push({ ...window, status: fault.status });
        return;
      }
      case 'message': {
        const t = at(fault.at, origin);
        instants[path] = t;
        if (fault.id) instants[fault.id] = t;
        const zoned = fault.message === 'unknown-zone';
        const sensorId = fault.sensor ?? (zoned ? sensorOfKind('gsm') : site.sensors[0]?.id);
        if (!sensorId) return;
        checkSensor(sensorId, `${path}.sensor`, zoned ? 'gsm' : undefined);
        const sensor = index.sensors.get(sensorId);
        if (!sensor) return;
        if (zoned && !sensor.zoneIds[0]) {
          issues.push({ path: `${path}.sensor`, message: `sensor "${sensorId}" covers no zone` });
          return;
        }
        for (let k = 0; k < fault.count; k++) {
          const when = t + k;
          const valid: SensorEventInput = zoned
            ? {
                ...base(sensorId, when),
                kind: 'gsm',
                zoneId: sensor.zoneIds[0]!,
                tech: '4g',
                rssiDbm: -70,
                durationS: 10,
              }
            : {
                ...base(sensorId, when),
                kind: 'heartbeat',
                status: 'ok',
                intervalS: sensor.heartbeatIntervalS,
              };
          broken.push({
            ...applyFault(fault.message, SensorEvent.parse(valid), rng),
            at: when,
            fault: fault.message,
          });
        }
        return;
      }
    }
  });
  // An event in two windows, one of them forwarding, would be both sent and lost: not allowed.
  silences.forEach((s, i) => {
    const other = silences
      .slice(0, i)
      .find((o) => o.sensorId === s.sensorId && (o.forward || s.forward) && s.from < o.to && o.from < s.to);
    if (other)
      issues.push({
        path: `${s.path}.from`,
        message: `overlaps ${other.path}, a buffered outage of ${s.sensorId} (forward: true)`,
      });
  });
  if (issues.length > 0) throw new ScenarioError(source, issues);

  const silenceOf = (sensorId: string, t: number) =>
    silences.find((s) => s.sensorId === sensorId && t > s.from && t < s.to);
  const silent = (sensorId: string, t: number) => silenceOf(sensorId, t) !== undefined;
  const beats: SensorEventInput[] = [];
  const intervalS = Math.round(scenario.heartbeatEvery / 1000);
  for (let t = from; t <= to; t += scenario.heartbeatEvery) {
    for (const sensor of site.sensors) {
      if (silent(sensor.id, t)) continue;
      const status = statuses.find((s) => s.sensorId === sensor.id && t >= s.from && t < s.to)?.status;
      beats.push({ ...base(sensor.id, t), kind: 'heartbeat', status: status ?? 'ok', intervalS });
    }
  }
  // What a sensor observes in a silent window is lost, or held until the window ends when it forwards.
  const sent: SensorEventInput[] = [];
  const held: { e: SensorEventInput; at: number }[] = [];
  for (const e of story) {
    const window = silenceOf(e.sensorId, Date.parse(e.observedAt));
    if (!window) sent.push(e);
    else if (window.forward) held.push({ e, at: window.to });
  }
  const rank = (e: SensorEventInput) => (e.kind === 'heartbeat' ? 0 : 1);
  const events = [...beats, ...sent]
    .map((e, order) => ({ e, order }))
    .sort(
      (a, b) =>
        Date.parse(a.e.observedAt) - Date.parse(b.e.observedAt) || rank(a.e) - rank(b.e) || a.order - b.order,
    );
  const messages: TimedMessage[] = events.map(({ e }) => {
    const event = SensorEvent.parse(e);
    return { ...toMessage(event), at: Date.parse(event.observedAt) };
  });
  // Backlogs go out when their window ends, in observation order and first at that instant. (The sort is
  // stable, so events observed at the same instant keep the timeline's order.)
  const backlog = held
    .sort((a, b) => a.at - b.at || Date.parse(a.e.observedAt) - Date.parse(b.e.observedAt))
    .map(({ e, at }) => ({ ...toMessage(SensorEvent.parse(e)), at }));
  for (let i = 0; i < backlog.length;) {
    const at = backlog[i]!.at;
    let j = i;
    while (j < backlog.length && backlog[j]!.at === at) j++;
    let k = messages.findIndex((x) => x.at >= at);
    if (k < 0) k = messages.length;
    messages.splice(k, 0, ...backlog.slice(i, j));
    i = j;
  }
  // Broken messages go out at their instant, after the valid ones of that instant.
  for (const m of broken) {
    let k = messages.findIndex((x) => x.at > m.at);
    if (k < 0) k = messages.length;
    messages.splice(k, 0, m);
  }

  const expectations = scenario.expect.map((e, i) => ({ ...e, index: i, afterAt: instants[e.after]! }));
  return { name: scenario.name, siteId: site.id, origin, from, to, messages, instants, expectations };
}
