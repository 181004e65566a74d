import type { NatsConnection } from '@nats-io/transport-node';
import type { SiteModel } from '@wachtpost/contracts';
import { startFeed } from './run/feed';

export interface DemoFeedOptions {
  nc: NatsConnection;
  sites: SiteModel[];
  /** Simulated seconds per real second; default 1, so observations stay on the wall clock. */
  speed?: number;
  /** Drone flight multiplier; the default gives a flight about every half hour per site by day. */
  intensity?: number;
  seed?: number;
  log?: (message: string) => void;
}

/** Real-world rates give ~10 flights a year; a demo wants one about every half hour by day (more at night). */
export const DEMO_INTENSITY = 4000;
/** The first flight of a demo, seconds after its start: whoever just started it sees an alert at once. */
export const DEMO_FIRST_FLIGHT_AFTER_S = 5;

/**
 * The realistic feed for `pnpm demo`: exercise traffic for every site, in-process on the launcher's
 * connection, starting now and running until stopped.
 */
export function startDemoFeed(options: DemoFeedOptions): { stop(): Promise<void> } {
  const log = options.log ?? (() => undefined);
  const speed = options.speed ?? 1;
  const intensity = options.intensity ?? DEMO_INTENSITY;
  const feed = startFeed({
    nc: options.nc,
    sites: options.sites,
    // A new seed each start: a restarted demo must not resend the ids of the last one.
    seed: options.seed ?? Date.now() % 2_147_483_647,
    speed,
    intensity,
    firstFlightAfterS: DEMO_FIRST_FLIGHT_AFTER_S,
    exercise: true,
  });
  log(
    `demo feed started: ${options.sites.map((s) => s.id).join(', ')} at speed ${speed}, drone intensity ${intensity}`,
  );
  feed.done.catch((err: unknown) =>
    log(`demo feed failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  return {
    async stop() {
      const summary = await feed.stop();
      log(`demo feed stopped after ${summary.published} messages`);
    },
  };
}
