import { describe, expect, it } from 'vitest';
import type { AlertChange } from '../engine/alert-book';
import type { ClockInput } from './clock-input';
import { mergeUnits, type UnitOfWork } from './unit-of-work';

const change = (alertId: string, rev: number) =>
  ({ change: 'updated', alert: { alertId, rev } }) as AlertChange;
const tick = (no: number, afterSeq: number): ClockInput => ({
  no,
  afterSeq,
  kind: 'advance',
  siteId: 'demo',
  at: 1_000 * no,
});

describe('mergeUnits', () => {
  it('keeps changes and clock inputs in order, as one batch of all their messages would have', () => {
    const units: UnitOfWork[] = [
      { changes: [change('a', 1), change('b', 1)], clockInputs: [tick(1, 10)] },
      { changes: [], clockInputs: [] },
      { changes: [change('a', 2)], clockInputs: [tick(2, 20), tick(3, 20)] },
    ];
    expect(mergeUnits(units)).toEqual({
      changes: [change('a', 1), change('b', 1), change('a', 2)],
      clockInputs: [tick(1, 10), tick(2, 20), tick(3, 20)],
    });
  });

  it("carries the last unit's snapshot, and returns a single unit as it is", () => {
    const snapshot = { state: '{}', seq: 20, seqStoredAtMs: 1_700_000_000_000, clockNo: 3 };
    const last: UnitOfWork = { changes: [change('a', 2)], clockInputs: [], snapshot };
    expect(mergeUnits([{ changes: [change('a', 1)], clockInputs: [] }, last]).snapshot).toBe(snapshot);
    expect(mergeUnits([last])).toBe(last);
  });
});
