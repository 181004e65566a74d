import { describe, expect, it } from 'vitest';
import { runDetect, syntheticEvents } from '../bench';
import { TEST_SITE } from '../testing/fixtures';
import { createEngine } from './engine';
import { packState, unpackState } from './state-codec';

describe('state codec', () => {
  const engine = createEngine([TEST_SITE]);
  const events = syntheticEvents(TEST_SITE, { count: 8_000, seed: 7, ratePerSec: 50 });
  const [before, after] = [events.slice(0, 6_000), events.slice(6_000)];

  it('restores a state that goes on exactly like the original', () => {
    const original = runDetect(engine, before).state;
    const lane = Object.values(original.lanes)[0]!;
    // The interesting case: a buffer with handled entries still in it, and ids to dedupe.
    expect(lane.buffer.length - lane.bufferHead).toBeGreaterThan(0);
    expect(lane.seenOrder.length).toBeGreaterThan(500);
    const restored = unpackState(packState(original));
    expect(Object.keys(restored.lanes[Object.keys(original.lanes)[0]!]!.seen).length).toBe(
      Object.keys(lane.seen).length,
    );
    const go = (state: typeof original) =>
      after.flatMap((ev) => engine.step(state, ev).changes).map((c) => JSON.stringify(c));
    expect(go(restored)).toEqual(go(original));
    expect(engine.alerts(restored)).toEqual(engine.alerts(original));
    // A redelivered id is still caught after the restore.
    expect(
      engine.step(
        restored,
        after.findLast((ev) => ev.kind === 'gsm')!,
      ).disposition,
    ).toBe('duplicate');
  });

  it('reads plain snapshots written before packing, as text or parsed', () => {
    const state = runDetect(engine, before.slice(0, 2000)).state;
    expect(unpackState(JSON.stringify(state))).toEqual(state);
    expect(unpackState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });
});
