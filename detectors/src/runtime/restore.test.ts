import { describe, expect, it } from 'vitest';
import type { Restored } from './correlator';
import { carriedOver, fromAnotherStream } from './restore';

const STORED_AT = 1_764_450_000_123;
const tick = (no: number, afterSeq: number) =>
  ({ no, afterSeq, kind: 'advance', siteId: 'demo', at: 1000 * no }) as const;
const restored = (seq: number, seqStoredAtMs?: number): Restored => ({
  state: undefined,
  seq,
  ...(seqStoredAtMs !== undefined && { seqStoredAtMs }),
  clockNo: 7,
  replay: [tick(8, seq + 2), tick(9, seq + 5)],
});

describe('restoring detector state', () => {
  const stream = { first_seq: 1, last_seq: 5000 };
  const storedAt = (times: Record<number, number>) => async (seq: number) => times[seq];

  it('knows the stream it was saved from by the message at its sequence', async () => {
    expect(await fromAnotherStream(restored(4000, STORED_AT), stream, storedAt({ 4000: STORED_AT }))).toBe(
      false,
    );
    // Behind the new stream's end, yet from the old one: the sequence alone would not tell.
    expect(
      await fromAnotherStream(restored(4000, STORED_AT), stream, storedAt({ 4000: STORED_AT + 9 })),
    ).toBe(true);
    expect(await fromAnotherStream(restored(6000, STORED_AT), stream, storedAt({}))).toBe(true);
  });

  it('takes a message aged out or deleted from the stream, or a first start, for no sign', async () => {
    const aged = { first_seq: 4500, last_seq: 9000 };
    expect(await fromAnotherStream(restored(4000, STORED_AT), aged, storedAt({}))).toBe(false);
    expect(await fromAnotherStream(restored(4000, STORED_AT), stream, storedAt({}))).toBe(false);
    expect(await fromAnotherStream(restored(0), stream, storedAt({}))).toBe(false);
  });

  it('judges a snapshot written before stored times were recorded by its sequence', async () => {
    expect(await fromAnotherStream(restored(4000), stream, storedAt({ 4000: STORED_AT }))).toBe(false);
    expect(await fromAnotherStream(restored(6000), stream, storedAt({}))).toBe(true);
  });

  it('carries a state over to a new stream: read from its first message, logged clock inputs before it', () => {
    expect(carriedOver(restored(4000, STORED_AT))).toEqual({
      state: undefined,
      seq: 0,
      clockNo: 7,
      replay: [tick(8, 0), tick(9, 0)],
    });
  });
});
