import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { demoSite, fakeClock, HOUR, T0, verdict } from '../test-fixtures';
import { startFeed } from './feed';

describe('startFeed', () => {
  it('skews faults from the wall clock at send time, also when the feed runs hours in the past', async () => {
    const clock = fakeClock(T0);
    const received: { subject: string; data: Uint8Array; at: number }[] = [];
    // Just enough of a connection for core publishes, receiving on the fake clock.
    const nc = {
      publish: (subject: string, data: Uint8Array) => received.push({ subject, data, at: clock.now() }),
      flush: async () => undefined,
    } as unknown as NatsConnection;
    const feed = startFeed({
      nc,
      sites: [demoSite()],
      seed: 4,
      speed: 60,
      start: T0 - 6 * HOUR,
      core: true,
      faults: { kinds: ['skew-ahead', 'skew-behind'], rate: 1, silences: [] },
      clock,
    });
    while (received.length < 200) await new Promise((resolve) => setImmediate(resolve));
    const summary = await feed.stop();
    expect(summary.byFault['skew-ahead']).toBeGreaterThan(0);
    expect(summary.byFault['skew-behind']).toBeGreaterThan(0);
    const accepted = received.filter((m) => verdict(m.subject, m.data, m.at).ok);
    expect(accepted.map((m) => new TextDecoder().decode(m.data)).slice(0, 3)).toEqual([]);
  });
});
