import type { NatsConnection } from '@nats-io/transport-node';
import type { SiteModel } from '@wachtpost/contracts';
import { createPublisher, type PublishStats } from '../nats/publisher';
import { Pacer, systemClock, type Clock } from './pacer';
import { pump, type PumpResult } from './pump';
import { siteTraffic, toMessages, type FaultOptions } from './traffic';

export interface FeedOptions {
  nc: NatsConnection;
  sites: readonly SiteModel[];
  seed: number;
  /** Simulated seconds per real second. */
  speed?: number;
  /** Simulated start, epoch ms; default now. */
  start?: number;
  /** Stop after this many real seconds; default never. */
  durationS?: number;
  intensity?: number;
  /** A drone flight this many simulated seconds after the start, besides the random ones. */
  firstFlightAfterS?: number;
  exercise?: boolean;
  core?: boolean;
  window?: number;
  faults?: FaultOptions;
  clock?: Clock;
}

export interface FeedSummary extends PumpResult, PublishStats {
  command: 'feed';
  simulatedFrom: string;
  simulatedTo: string;
  realSeconds: number;
}

export interface RunningFeed {
  /** Stops publishing, waits for outstanding acks, and returns what was sent. */
  stop(): Promise<FeedSummary>;
  done: Promise<FeedSummary>;
}

/** Continuous realistic traffic for the sites, paced so simulated time runs `speed` times real time. */
export function startFeed(options: FeedOptions): RunningFeed {
  const clock = options.clock ?? systemClock;
  const realStart = clock.now();
  const simStart = options.start ?? realStart;
  const speed = options.speed ?? 1;
  const pacer = new Pacer(clock, simStart, realStart, speed);
  const publisher = createPublisher(options.nc, {
    ...(options.core !== undefined && { core: options.core }),
    ...(options.window !== undefined && { window: options.window }),
  });
  const abort = new AbortController();
  const events = siteTraffic(options.sites, {
    seed: options.seed,
    from: simStart,
    ...(options.intensity !== undefined && { intensity: options.intensity }),
    ...(options.exercise !== undefined && { exercise: options.exercise }),
    ...(options.firstFlightAfterS !== undefined && {
      firstFlightAt: simStart + options.firstFlightAfterS * 1000,
    }),
  });
  // Skews are measured from the wall clock at send time, which a feed in the past or at speed is not at.
  const messages = toMessages(events, options.seed, simStart, options.faults, (at) => pacer.realAt(at));
  const durationTimer =
    options.durationS === undefined ? undefined : setTimeout(() => abort.abort(), options.durationS * 1000);

  const done = (async (): Promise<FeedSummary> => {
    try {
      const result = await pump(messages, { publisher, pacer, signal: abort.signal });
      const stats = await publisher.flush();
      return {
        command: 'feed',
        ...result,
        ...stats,
        simulatedFrom: new Date(simStart).toISOString(),
        simulatedTo: new Date(result.lastAt ?? simStart).toISOString(),
        realSeconds: (clock.now() - realStart) / 1000,
      };
    } finally {
      clearTimeout(durationTimer);
    }
  })();

  return {
    done,
    stop() {
      abort.abort();
      return done;
    },
  };
}
