import type { Alert, SensorEvent, SiteIndex, SiteModel } from '@wachtpost/contracts';
import { resolveDetectorParams, type DetectorParams } from '../params';
import { applyOperatorAction, flushAll, type AlertChange, type OperatorAction } from './alert-book';
import { holdsReport, onArrival } from './arrival-path';
import { expectSensor } from './clock';
import { createContext, type RuleContext } from './context';
import { dget, dset } from './dict';
import { emptyLane, laneId, type EngineState, type LaneState } from './lane-state';
import { onLate } from './late-events';
import { progress } from './progress';
import { insertPending, pendingOf, type OrderedEvent } from './reorder-buffer';
import { createSiteView, type SiteView } from './site-view';
import { maxOf, minOf, toIso, toMs, type EpochMs } from './time';

export interface EngineOptions {
  /**
   * Parameter overrides per site id, e.g. `{ demo: { 'persistent-phone': { minNights: 4 } } }`. Checked
   * at creation; a bad value throws DetectorParamsError naming its path.
   */
  detectorParams?: Readonly<Record<string, unknown>>;
}

/** What happened to an event: `late` ones arrived after the watermark (count them in a metric). */
export type Disposition = 'processed' | 'late' | 'duplicate' | 'unknown-site';

export interface StepResult {
  /** The same state object, updated (see Engine). */
  state: EngineState;
  /** Alert changes to store and publish, in order. */
  changes: AlertChange[];
  disposition: Disposition;
}

export interface ChangesResult {
  state: EngineState;
  changes: AlertChange[];
}

/** What an operator did in the console; the runtime feeds it back so cool-downs see it. */
export interface OperatorCommand {
  action: OperatorAction;
  alertId: string;
  /** When it happened (ISO or epoch ms). */
  at: string | EpochMs;
  /**
   * The revision the console stored and published for it. Absent: the engine writes the revision itself.
   * Present: the engine continues from it (see applyOperatorAction).
   */
  rev?: number;
}

export interface LaneInfo {
  siteId: string;
  exercise: boolean;
  watermark: string | null;
  buffered: number;
  offlineSensors: string[];
  processed: number;
  late: number;
  duplicates: number;
}

/**
 * The pure detector engine. No clock, no randomness, no I/O: every time comes from events or from the
 * runtime's `advance`. The state is plain JSON: `JSON.parse(JSON.stringify(state))` restores it exactly.
 * Each call updates the state object it is given and returns it; copying a large state per event would
 * dominate the cost, so a caller that needs the old state keeps a copy (structuredClone or JSON).
 */
export interface Engine {
  paramsFor(siteId: string): DetectorParams | undefined;
  initialState(): EngineState;
  /** Feeds one validated event. */
  step(state: EngineState, event: SensorEvent): StepResult;
  /**
   * The runtime's clock tick for a site: `now` (its wall clock) counts as observed time for the live
   * lane, so sensors that all went silent are still declared offline. Exercise lanes run on event time
   * only, so a drill that ends does not page for every simulated sensor. A replay that must match an
   * earlier run has to repeat the same ticks (or restore the state snapshot they produced).
   */
  advance(state: EngineState, siteId: string, now: string | EpochMs): ChangesResult;
  /** Makes every sensor of the site model count as live from `at`, so one that never reports is caught. */
  expectSensors(state: EngineState, siteId: string, at: string | EpochMs): ChangesResult;
  command(state: EngineState, command: OperatorCommand): ChangesResult & { found: boolean };
  /** Publishes every coalesced repeat now: for tests, benchmarks and a final drain, not the normal path. */
  flush(state: EngineState): ChangesResult;
  /** Current state of every alert the engine still holds, ordered by id. */
  alerts(state: EngineState): Alert[];
  lanes(state: EngineState): LaneInfo[];
}

interface SiteSetup {
  view: SiteView;
  params: DetectorParams;
}

const isOrdered = (ev: SensorEvent): ev is OrderedEvent =>
  ev.kind === 'gsm' || ev.kind === 'search' || ev.kind === 'roster';
const asMs = (at: string | EpochMs) => (typeof at === 'number' ? at : toMs(at));

export function createEngine(sites: readonly (SiteModel | SiteIndex)[], options: EngineOptions = {}): Engine {
  const setups = new Map<string, SiteSetup>();
  for (const site of sites) {
    const view = createSiteView(site);
    const overrides = options.detectorParams?.[view.id];
    setups.set(view.id, { view, params: resolveDetectorParams(overrides, `detectorParams.${view.id}`) });
  }

  const laneOf = (state: EngineState, siteId: string, exercise: boolean): LaneState => {
    const id = laneId(siteId, exercise);
    let lane = dget(state.lanes, id);
    if (!lane) {
      lane = emptyLane(siteId, exercise);
      dset(state.lanes, id, lane);
    }
    return lane;
  };

  // One context per lane object, made on first use and pointed at each call's changes list: building its
  // closures on every event was a measurable share of the cost. Never part of the state; a restored state
  // has new lane objects and gets new contexts.
  const contexts = new WeakMap<LaneState, RuleContext>();
  const contextOf = (setup: SiteSetup, lane: LaneState, out: AlertChange[]): RuleContext => {
    let ctx = contexts.get(lane);
    if (!ctx || ctx.view !== setup.view) {
      ctx = createContext(setup.view, setup.params, lane, out);
      contexts.set(lane, ctx);
    }
    ctx.bc.out = out;
    return ctx;
  };

  const contextFor = (lane: LaneState, out: AlertChange[]): RuleContext | undefined => {
    const setup = setups.get(lane.siteId);
    return setup && contextOf(setup, lane, out);
  };

  const siteLanes = (state: EngineState, siteId: string): LaneState[] =>
    [false, true].flatMap((exercise) => dget(state.lanes, laneId(siteId, exercise)) ?? []);

  return {
    paramsFor: (siteId) => setups.get(siteId)?.params,

    initialState: () => ({ v: 1, lanes: {} }),

    step(state, event) {
      const changes: AlertChange[] = [];
      const setup = setups.get(event.siteId);
      if (!setup) return { state, changes, disposition: 'unknown-site' };
      const lane = laneOf(state, event.siteId, event.exercise);
      const t = toMs(event.observedAt);
      if (dget(lane.seen, event.eventId) !== undefined || holdsReport(lane, event, t)) {
        lane.stats.duplicates++;
        return { state, changes, disposition: 'duplicate' };
      }
      // Only events whose repeat could count twice are remembered: at load nearly every event is a drone
      // report or a heartbeat, and an hour of their ids was most of the state.
      if (isOrdered(event)) {
        dset(lane.seen, event.eventId, t);
        lane.seenOrder.push([t, event.eventId]);
      }
      lane.firstAt = minOf(lane.firstAt, t);
      lane.stats.processed++;
      const ctx = contextOf(setup, lane, changes);
      const late = lane.clock.watermark !== null && t < lane.clock.watermark;
      if (late) lane.stats.late++;
      onArrival(ctx, event, t);
      if (isOrdered(event)) {
        if (late) onLate(ctx, event, t);
        else if (!insertPending(lane.buffer, pendingOf(event), lane.bufferHead ?? 0)) lane.stats.duplicates++;
      }
      progress(ctx);
      return { state, changes, disposition: late ? 'late' : 'processed' };
    },

    advance(state, siteId, now) {
      const changes: AlertChange[] = [];
      for (const lane of siteLanes(state, siteId)) {
        const ctx = contextFor(lane, changes);
        if (!ctx) continue;
        if (!lane.exercise) lane.clock.observedUntil = maxOf(lane.clock.observedUntil, asMs(now));
        progress(ctx);
      }
      return { state, changes };
    },

    expectSensors(state, siteId, at) {
      const changes: AlertChange[] = [];
      const setup = setups.get(siteId);
      if (!setup) return { state, changes };
      const lane = laneOf(state, siteId, false);
      for (const sensor of setup.view.index.site.sensors) {
        expectSensor(lane.clock, sensor.id, asMs(at), sensor.heartbeatIntervalS);
      }
      progress(contextOf(setup, lane, changes));
      return { state, changes };
    },

    command(state, command) {
      const changes: AlertChange[] = [];
      for (const lane of Object.values(state.lanes)) {
        const rec = dget(lane.book.records, command.alertId);
        const ctx = rec && contextFor(lane, changes);
        if (!rec || !ctx) continue;
        applyOperatorAction(ctx.bc, rec, command.action, asMs(command.at), command.rev);
        return { state, changes, found: true };
      }
      return { state, changes, found: false };
    },

    flush(state) {
      const changes: AlertChange[] = [];
      for (const lane of Object.values(state.lanes)) {
        const ctx = contextFor(lane, changes);
        if (ctx) flushAll(ctx.bc);
      }
      return { state, changes };
    },

    alerts(state) {
      return Object.values(state.lanes)
        .flatMap((lane) => Object.values(lane.book.records).map((r) => structuredClone(r.alert)))
        .sort((a, b) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0));
    },

    lanes(state) {
      return Object.values(state.lanes).map((lane) => ({
        siteId: lane.siteId,
        exercise: lane.exercise,
        watermark: lane.clock.watermark === null ? null : toIso(lane.clock.watermark),
        buffered: lane.buffer.length - (lane.bufferHead ?? 0),
        offlineSensors: Object.entries(lane.clock.sensors)
          .filter(([, s]) => s.offlineSince !== null)
          .map(([id]) => id)
          .sort(),
        ...lane.stats,
      }));
    },
  };
}
