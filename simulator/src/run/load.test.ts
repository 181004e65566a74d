import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { demoSite, fakeClock, T0 } from '../test-fixtures';
import { withFaults } from '../messages/fault-stream';
import { loadTraffic, runLoad } from './load';

/** Just enough of a connection for core publishes. */
const nullNats = { publish: () => undefined, flush: async () => undefined } as unknown as NatsConnection;

describe('runLoad', () => {
  it('ends at its duration and counts the delayed copies due after it as dropped', async () => {
    const faults = { kinds: ['late', 'duplicate'] as const, rate: 0.05 };
    const events = loadTraffic([demoSite()], { seed: 1, rate: 100, start: T0, count: 200 });
    const all = [...withFaults(events, { ...faults, seed: 1 })];
    const summary = await runLoad({
      nc: nullNats,
      sites: [demoSite()],
      seed: 1,
      rate: 100,
      durationS: 2,
      core: true,
      faults: { ...faults, silences: [] },
      clock: fakeClock(T0),
    });
    expect(summary.elapsedS).toBeLessThanOrEqual(2);
    // Late copies come 30 s or more after their event: none of them within a 2-second run.
    expect(summary.byFault.late).toBeUndefined();
    expect(summary.droppedAfterEnd).toBeGreaterThan(0);
    expect(summary.published).toBe(all.filter((m) => m.at < T0 + 2000).length);
    expect(summary.droppedAfterEnd).toBe(all.length - summary.published);
  });
});
