import type { NatsConnection } from '@nats-io/transport-node';
import type { SensorEvent, SiteModel } from '@wachtpost/contracts';
import { shiftEvent } from '../messages/time-shift';
import { createPublisher, type PublishStats } from '../nats/publisher';
import { Pacer, systemClock, type Clock } from './pacer';
import { pump, type PumpResult } from './pump';
import { siteTraffic, toMessages, type FaultOptions } from './traffic';

export interface LoadOptions {
  nc: NatsConnection;
  sites: readonly SiteModel[];
  seed: number;
  /** Events per second. */
  rate: number;
  durationS: number;
  /** Drone intensity of the mix; high by default so that a load carries drone tracks, not only heartbeats. */
  intensity?: number;
  exercise?: boolean;
  core?: boolean;
  window?: number;
  faults?: FaultOptions;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface LoadSummary extends PumpResult, PublishStats {
  command: 'load';
  rate: number;
  durationS: number;
  elapsedS: number;
  achievedRate: number;
}

/** About one flight every 5 minutes: drone tracks, the heaviest real traffic, then make up most of a load. */
export const LOAD_INTENSITY = 10_000;
/** The load starts from a world that has run an hour: flights under way, no start-up roster snapshot. */
const WARM_UP_MS = 3_600_000;

/**
 * Re-times realistic traffic to `rate` events per second from now: event i is observed and sent at
 * start + i / rate, with the instants inside it moved along, so the receiving clock accepts it.
 */
function* retimed(events: Iterable<SensorEvent>, start: number, rate: number, count: number) {
  let i = 0;
  for (const event of events) {
    if (i >= count) return;
    if (Date.parse(event.observedAt) < start) continue;
    const due = start + Math.floor((i * 1000) / rate);
    yield shiftEvent(event, due - Date.parse(event.observedAt));
    i++;
  }
}

export interface LoadTrafficOptions {
  seed: number;
  /** Events per second. */
  rate: number;
  /** Epoch ms of the first event. */
  start: number;
  count: number;
  intensity?: number;
  exercise?: boolean;
}

/** `count` events of realistic site traffic observed at `rate` per second from `start`, in order. */
export function loadTraffic(sites: readonly SiteModel[], options: LoadTrafficOptions): Iterable<SensorEvent> {
  const events = siteTraffic(sites, {
    seed: options.seed,
    from: options.start - WARM_UP_MS,
    intensity: options.intensity ?? LOAD_INTENSITY,
    ...(options.exercise !== undefined && { exercise: options.exercise }),
  });
  return retimed(events, options.start, options.rate, options.count);
}

/** Paced valid mixed traffic at a fixed rate, for throughput tests; returns what it achieved. */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  if (!(options.rate > 0) || !(options.durationS > 0))
    throw new Error('--rate and --duration must be above 0');
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const events = loadTraffic(options.sites, {
    seed: options.seed,
    rate: options.rate,
    start,
    count: Math.round(options.rate * options.durationS),
    ...(options.intensity !== undefined && { intensity: options.intensity }),
    ...(options.exercise !== undefined && { exercise: options.exercise }),
  });
  const messages = toMessages(events, options.seed, start, options.faults);
  const publisher = createPublisher(options.nc, {
    ...(options.core !== undefined && { core: options.core }),
    ...(options.window !== undefined && { window: options.window }),
  });
  const result = await pump(messages, {
    publisher,
    pacer: new Pacer(clock, start, start, 1),
    signal: options.signal ?? new AbortController().signal,
    // Every event is due before the end; late and duplicate copies due after it are dropped, not awaited
    // (up to 10 minutes). A bound on simulated time rather than feed's timer: a load sends all its
    // rate x duration events even when the server cannot keep up, which is what a throughput test measures.
    untilSim: start + options.durationS * 1000,
  });
  const stats = await publisher.flush();
  const elapsedS = (clock.now() - start) / 1000;
  return {
    command: 'load',
    rate: options.rate,
    durationS: options.durationS,
    ...result,
    ...stats,
    elapsedS,
    achievedRate: Math.round((result.published / Math.max(elapsedS, 1e-3)) * 10) / 10,
  };
}
