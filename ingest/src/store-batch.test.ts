import { describe, expect, it } from 'vitest';
import type { AcceptedRow, PreparedBatch } from './prepare';
import { sleepUnlessAborted, storeBatch, StoppedRetrying, type InsertFn } from './store-batch';

const row = (eventId: string) => ({ event: { eventId } }) as unknown as AcceptedRow;
const batch = (...ids: string[]): PreparedBatch => ({
  accepted: ids.map(row),
  rejected: [],
  duplicatesInBatch: 0,
});
const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const storesAll: InsertFn = async (accepted) => ({
  inserted: new Set(accepted.map((r) => r.event.eventId)),
  rejectedByReason: new Map(),
});
const noSleep = () => Promise.resolve();

describe('storeBatch', () => {
  it('retries while the database is away, with growing waits, and stores the batch when it is back', async () => {
    let calls = 0;
    const waits: number[] = [];
    const outcome = await storeBatch(
      batch('a', 'b'),
      async (accepted, rejected) => {
        if (++calls <= 3) throw down;
        return storesAll(accepted, rejected);
      },
      { onRetry: (_err, _attempt, delayMs) => waits.push(delayMs), sleep: noSleep },
    );
    expect(outcome.stored.map((r) => r.event.eventId)).toEqual(['a', 'b']);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('gives up with StoppedRetrying once its signal aborts, and never while the writes succeed', async () => {
    const stopping = new AbortController();
    let calls = 0;
    const attempt = storeBatch(
      batch('a'),
      async () => {
        calls++;
        throw down;
      },
      {
        signal: stopping.signal,
        onRetry: (_err, attempt) => attempt === 2 && stopping.abort(),
        sleep: noSleep,
      },
    );
    await expect(attempt).rejects.toBeInstanceOf(StoppedRetrying);
    await expect(attempt).rejects.toThrow('stopped retrying: connect ECONNREFUSED');
    expect(calls).toBe(2);
    // Already aborted: a batch that can be written is written all the same.
    const outcome = await storeBatch(batch('b'), storesAll, {
      signal: stopping.signal,
      onRetry: () => undefined,
    });
    expect(outcome.stored).toHaveLength(1);
  });

  it('wakes from its wait when the signal aborts', async () => {
    const stopping = new AbortController();
    const started = Date.now();
    setTimeout(() => stopping.abort(), 20);
    await sleepUnlessAborted(60_000, stopping.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
