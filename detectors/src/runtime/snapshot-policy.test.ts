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

  it('waits longer when snapshots are expensive, so they take at most 0.5% of the time', () => {
    const policy = new SnapshotPolicy(10_000);
    policy.taken(0, 500);
    expect(policy.intervalMs).toBe(100_000);
    expect(policy.due(99_999)).toBe(false);
    expect(policy.due(100_000)).toBe(true);
  });

  it('with an interval of 0 snapshots every batch', () => {
    const policy = new SnapshotPolicy(0);
    policy.taken(0, 5_000);
    expect(policy.due(1)).toBe(true);
  });
});
