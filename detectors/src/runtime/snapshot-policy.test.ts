import { describe, expect, it } from 'vitest';
import { SnapshotPolicy } from './snapshot-policy';

describe('SnapshotPolicy', () => {
  it('takes the first snapshot at once, then one per interval', () => {
    const policy = new SnapshotPolicy(10_000);
    expect(policy.due(0)).toBe(true);
    policy.taken(0, 20);
    expect(policy.due(9_999)).toBe(false);
    expect(policy.due(10_000)).toBe(true);
  });

  it('waits longer when snapshots are expensive, so they take at most 0.2% of the time', () => {
    const policy = new SnapshotPolicy(10_000);
    policy.taken(0, 500);
    expect(policy.intervalFor()).toBe(250_000);
    expect(policy.due(249_999)).toBe(false);
    expect(policy.due(250_000)).toBe(true);
  });

  it('predicts the cost of a grown state from what the last large one cost per item', () => {
    const policy = new SnapshotPolicy(10_000);
    policy.taken(0, 100, 100_000); // 1 µs per item
    expect(policy.due(50_000, 100_000)).toBe(true);
    // Ten times the items: a 1 s pause, so 500 s apart.
    expect(policy.intervalFor(1_000_000)).toBe(500_000);
    expect(policy.due(499_999, 1_000_000)).toBe(false);
  });

  it('before any large snapshot assumes a conservative cost per item', () => {
    const policy = new SnapshotPolicy(10_000);
    policy.taken(0, 5, 100);
    // 300,000 buffered events at 2 µs: 0.6 s, so not before 300 s.
    expect(policy.due(150_000, 300_000)).toBe(false);
    expect(policy.due(300_000, 300_000)).toBe(true);
  });

  it('with an interval of 0 snapshots every batch', () => {
    const policy = new SnapshotPolicy(0);
    policy.taken(0, 5_000);
    expect(policy.due(1)).toBe(true);
  });
});
