import type { NatsConnection } from '@nats-io/transport-node';
import type { Alert, SensorEvent, SiteModel } from '@wachtpost/contracts';
import { faultCatalogue } from '../messages/fault-catalogue';
import { FAULT_KINDS, type FaultKind } from '../messages/faults';
import { toTimedMessage, type TimedMessage } from '../messages/message';
import { shiftEvent } from '../messages/time-shift';
import { createPublisher, type Publisher } from '../nats/publisher';
import { LOAD_INTENSITY } from '../run/load';
import { systemClock, type Clock } from '../run/pacer';
import { kindOfSubject, siteTraffic } from '../run/traffic';
import { watchAlerts } from '../scenario/alert-watch';
import { compileScenario, defaultOrigin } from '../scenario/compile';
import { listScenarios, loadScenarioFile, SCENARIO_DIR, type ScenarioListing } from '../scenario/files';
import type { ExpectationResult, JudgeSummary } from '../scenario/judge';
import { runScenario } from '../scenario/run-scenario';
import { ScenarioError } from '../scenario/schema';
import { ControlledPacer } from './controlled-pacer';
import { INITIAL_STATE, transition, type Command, type RunConfig, type SimulatorState } from './state';

export interface ControllerCounters {
  /** Messages this controller handed to NATS in the current (or last) run, faults included. */
  published: number;
  byKind: Record<string, number>;
  /** Faulty messages injected. */
  faults: number;
  /** Messages held back by a silence fault. */
  silenced: number;
  /** Exercise alert revisions of the run's site seen on ALERTS since the run started. */
  alerts: number;
  publishErrors: number;
}

export interface ControllerStatus extends SimulatorState {
  counters: ControllerCounters;
  /** The current simulated instant of a scenario or feed run. */
  simulatedAt?: string;
  /** The earliest observedAt the run sends (for counting what ingest stored of it). */
  observedFrom?: number;
  expectations?: ExpectationResult[];
  summary?: JudgeSummary;
  silences: { sensorId: string; until: string }[];
}

export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface ControllerOptions {
  nc: NatsConnection;
  sites: readonly SiteModel[];
  scenarioDir?: string;
  clock?: Clock;
  seed?: number;
  /** After a scenario's last event, how long to wait for its expected alerts (seconds). */
  scenarioWaitS?: number;
  onError?: (err: unknown) => void;
}

export interface FaultRequest {
  fault: FaultKind;
  count?: number;
  sensorId?: string;
  forS?: number;
}

const emptyCounters = (): ControllerCounters => ({
  published: 0,
  byKind: {},
  faults: 0,
  silenced: 0,
  alerts: 0,
  publishErrors: 0,
});

/** Feed runs start this far back, so a faster speed stays behind the clock for a while. */
const FEED_LEAD_MS = 6 * 3_600_000;

/**
 * The simulator as the console hosts it: one run at a time (a scenario, a realistic feed or a paced load) on
 * the console's NATS connection, paused, resumed, re-paced and stopped by testers, with faults injected on
 * demand and counters of what it sent and what came back on ALERTS.
 */
export class SimulatorController {
  private state: SimulatorState = INITIAL_STATE;
  private counters = emptyCounters();
  private pacer: ControlledPacer | undefined;
  private abort: AbortController | undefined;
  private done: Promise<void> | undefined;
  private judged: { expectations: ExpectationResult[]; summary: JudgeSummary } | undefined;
  private observedFrom: number | undefined;
  private readonly silences = new Map<string, number>();
  private readonly clock: Clock;

  constructor(private readonly options: ControllerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  scenarios(): ScenarioListing[] {
    return listScenarios(this.options.scenarioDir ?? SCENARIO_DIR);
  }

  sites(): { id: string; name: string }[] {
    return this.options.sites.map((s) => ({ id: s.id, name: s.name }));
  }

  status(): ControllerStatus {
    const now = this.clock.now();
    for (const [id, until] of this.silences) if (until <= now) this.silences.delete(id);
    const mode = this.state.run?.mode;
    return {
      ...this.state,
      counters: { ...this.counters, byKind: { ...this.counters.byKind } },
      ...(this.pacer &&
        mode !== 'load' && { simulatedAt: new Date(Math.floor(this.pacer.simNow())).toISOString() }),
      ...(this.observedFrom !== undefined && { observedFrom: this.observedFrom }),
      ...(this.judged && this.judged),
      silences: [...this.silences].map(([sensorId, until]) => ({
        sensorId,
        until: new Date(until).toISOString(),
      })),
    };
  }

  private apply(command: Command): void {
    const next = transition(this.state, command);
    if (!next.ok) throw new ControlError(409, next.error);
    this.state = next.state;
  }

  async start(request: {
    siteId: string;
    mode: RunConfig['mode'];
    scenario?: string;
    speed?: number;
    rate?: number;
  }): Promise<ControllerStatus> {
    const site = this.options.sites.find((s) => s.id === request.siteId);
    if (!site) throw new ControlError(404, `no site "${request.siteId}"`);
    const config: RunConfig = {
      siteId: site.id,
      mode: request.mode,
      ...(request.scenario !== undefined && { scenario: request.scenario }),
      speed: request.speed ?? (request.mode === 'scenario' ? 3600 : 1),
      rate: request.rate ?? 100,
    };
    // Check the transition before loading anything, so a second start answers 409, not a scenario error.
    const check = transition(this.state, { type: 'start', config, at: this.clock.now() });
    if (!check.ok) throw new ControlError(409, check.error);
    let messages: Iterable<TimedMessage>;
    let compiledRun: ReturnType<typeof compileScenario> | undefined;
    const now = this.clock.now();
    if (config.mode === 'scenario') {
      const listing = this.scenarios().find((s) => s.id === config.scenario);
      if (!listing) throw new ControlError(404, `no scenario "${config.scenario}"`);
      if (listing.error) throw new ControlError(400, listing.error);
      if (listing.site !== site.id)
        throw new ControlError(400, `scenario "${listing.id}" is for site ${listing.site}, not ${site.id}`);
      const scenario = loadScenarioFile(listing.file);
      try {
        compiledRun = compileScenario(scenario, site, { origin: defaultOrigin(scenario, site, now) });
      } catch (err) {
        if (err instanceof ScenarioError) throw new ControlError(400, err.message);
        throw err;
      }
      messages = compiledRun.messages;
      this.observedFrom = compiledRun.from;
    } else if (config.mode === 'feed') {
      const from = now - FEED_LEAD_MS;
      messages = (function* () {
        for (const e of siteTraffic([site], { seed: 1, from, exercise: true })) yield toTimedMessage(e);
      })();
      this.observedFrom = from;
    } else {
      messages = this.loadMessages(site, now);
      this.observedFrom = now - 1000;
    }

    this.apply({ type: 'start', config, at: now });
    this.counters = emptyCounters();
    this.judged = undefined;
    this.silences.clear();
    const abort = (this.abort = new AbortController());
    // Load runs pace on message slots: slot i is due at i seconds "simulated", run at `rate` per second.
    const pacer = (this.pacer =
      config.mode === 'load'
        ? new ControlledPacer(0, config.rate, this.clock)
        : new ControlledPacer(
            compiledRun ? (compiledRun.messages[0]?.at ?? compiledRun.from) : now - FEED_LEAD_MS,
            config.speed,
            this.clock,
          ));
    const publisher = createPublisher(this.options.nc, { window: 256 });
    const run = compiledRun
      ? this.runCompiled(compiledRun, pacer, abort.signal)
      : this.runStream(messages, config.mode === 'load', site.id, pacer, publisher, abort.signal, now);
    this.done = run.then(
      () => {
        if (this.abort === abort && (this.state.phase === 'running' || this.state.phase === 'paused'))
          this.apply({ type: 'finished', at: this.clock.now() });
      },
      (err: unknown) => {
        this.options.onError?.(err);
        if (this.abort === abort && (this.state.phase === 'running' || this.state.phase === 'paused'))
          this.apply({
            type: 'failed',
            error: err instanceof Error ? err.message : String(err),
            at: this.clock.now(),
          });
      },
    );
    return this.status();
  }

  pause(): ControllerStatus {
    this.apply({ type: 'pause' });
    this.pacer?.pause();
    return this.status();
  }

  resume(): ControllerStatus {
    this.apply({ type: 'resume' });
    this.pacer?.resume();
    return this.status();
  }

  async stop(): Promise<ControllerStatus> {
    this.apply({ type: 'stop', at: this.clock.now() });
    this.abort?.abort();
    this.pacer?.resume();
    await this.done;
    return this.status();
  }

  tune(change: { speed?: number; rate?: number }): ControllerStatus {
    this.apply({ type: 'tune', ...change });
    if (change.speed !== undefined) this.pacer?.setSpeed(change.speed);
    if (change.rate !== undefined) this.pacer?.setSpeed(change.rate);
    return this.status();
  }

  /** Sends faulty messages now (message and timing faults), or silences a sensor of the running stream. */
  async inject(request: FaultRequest): Promise<{ fault: FaultKind; sent: number; silencedUntil?: string }> {
    const run = this.state.run;
    if (!run || (this.state.phase !== 'running' && this.state.phase !== 'paused'))
      throw new ControlError(409, 'faults need a running simulation (start one first)');
    const site = this.options.sites.find((s) => s.id === run.siteId)!;
    if (request.fault === 'silence') {
      const sensorId = request.sensorId;
      if (!sensorId) throw new ControlError(400, 'silence needs a sensorId');
      if (!site.sensors.some((s) => s.id === sensorId))
        throw new ControlError(404, `site ${site.id} has no sensor "${sensorId}"`);
      const until = this.clock.now() + (request.forS ?? 300) * 1000;
      this.silences.set(sensorId, until);
      return { fault: 'silence', sent: 0, silencedUntil: new Date(until).toISOString() };
    }
    if (!(FAULT_KINDS as readonly string[]).includes(request.fault))
      throw new ControlError(400, `unknown fault ${String(request.fault)}`);
    const entries = faultCatalogue(
      site,
      this.options.seed ?? 1,
      this.clock.now(),
      [request.fault],
      request.count ?? 1,
      true,
    );
    const publisher = createPublisher(this.options.nc, { window: 1 });
    for (const { message } of entries) await publisher.publish(message);
    const stats = await publisher.flush();
    this.counters.published += stats.published;
    this.counters.faults += stats.published;
    this.counters.publishErrors += stats.errors;
    return { fault: request.fault, sent: stats.published };
  }

  /** Stops any run; for the console's shutdown. */
  async close(): Promise<void> {
    if (this.state.phase === 'running' || this.state.phase === 'paused') await this.stop();
  }

  private silent(subject: string): boolean {
    if (this.silences.size === 0) return false;
    const sensorId = subject.split('.')[4] ?? '';
    const until = this.silences.get(sensorId);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.silences.delete(sensorId);
    return false;
  }

  private count(subject: string): void {
    this.counters.published++;
    this.countKind(subject);
  }

  private countKind(subject: string): void {
    const kind = kindOfSubject(subject);
    this.counters.byKind[kind] = (this.counters.byKind[kind] ?? 0) + 1;
  }

  private async runCompiled(
    compiled: ReturnType<typeof compileScenario>,
    pacer: ControlledPacer,
    signal: AbortSignal,
  ): Promise<void> {
    let last = 0;
    const report = await runScenario({
      nc: this.options.nc,
      compiled,
      send: (m) => {
        if (!this.silent(m.subject)) return true;
        this.counters.silenced++;
        return false;
      },
      pacer: {
        until: async (simMs, s) => {
          await pacer.until(simMs, s);
        },
      },
      waitS: this.options.scenarioWaitS ?? 30,
      signal,
      onPublished: (stats) => {
        const fresh = stats.published - last;
        last = stats.published;
        this.counters.published += fresh;
        this.counters.publishErrors = stats.errors;
      },
      onSent: (m) => this.countKind(m.subject),
      onAlert: (_alert: Alert, judge) => {
        this.counters.alerts++;
        const { expectations, summary } = judge.report();
        this.judged = { expectations, summary };
      },
    });
    this.judged = { expectations: report.expectations, summary: report.summary };
  }

  private async runStream(
    messages: Iterable<TimedMessage>,
    load: boolean,
    siteId: string,
    pacer: ControlledPacer,
    publisher: Publisher,
    signal: AbortSignal,
    startedAt: number,
  ): Promise<void> {
    const watch = await watchAlerts(this.options.nc, siteId, startedAt, (alert) => {
      if (alert.exercise) this.counters.alerts++;
    });
    try {
      let slot = 0;
      for (const message of messages) {
        if (signal.aborted) break;
        await pacer.until(load ? slot * 1000 : message.at, signal);
        if (signal.aborted) break;
        slot++;
        if (this.silent(message.subject)) {
          this.counters.silenced++;
          continue;
        }
        await publisher.publish(load ? this.restamped(message) : message);
        this.count(message.subject);
        this.counters.publishErrors = publisher.stats.errors;
        // Never starve socket I/O when messages are due faster than they can be sent.
        if (slot % 500 === 0) await new Promise<void>((r) => setImmediate(r));
      }
      await publisher.flush();
    } finally {
      await watch.stop();
    }
  }

  /** Load messages carry their event until sent: stamped then, so the receiving clock accepts them. */
  private loadEvents = new WeakMap<TimedMessage, SensorEvent>();

  private *loadMessages(site: SiteModel, now: number): Generator<TimedMessage> {
    for (const event of siteTraffic([site], {
      seed: 1,
      from: now - 3_600_000,
      intensity: LOAD_INTENSITY,
      exercise: true,
    })) {
      if (Date.parse(event.observedAt) < now) continue;
      const message = toTimedMessage(event);
      this.loadEvents.set(message, event);
      yield message;
    }
  }

  private restamped(message: TimedMessage): TimedMessage {
    const event = this.loadEvents.get(message);
    if (!event) return message;
    return toTimedMessage(shiftEvent(event, this.clock.now() - Date.parse(event.observedAt)));
  }
}
