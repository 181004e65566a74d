import { describe, expect, it } from 'vitest';
import { carriedOver, fromAnotherStream } from './restore';
import type { LoadedState } from './state-store';

const OLD = '2026-11-29T21:00:00.123456789Z';
const NEW = '2026-11-29T22:00:00.5Z';
const tick = (no: number, afterSeq: number) =>
  ({ no, afterSeq, kind: 'advance', siteId: 'demo', at: 1000 * no }) as const;
const loaded = (seq: number, streamCreated?: string): LoadedState => ({
  state: undefined,
  seq,
  clockNo: 7,
  replay: [tick(8, seq + 2), tick(9, seq + 5)],
  ...(streamCreated && { streamCreated }),
});

describe('restoring detector state', () => {
  it('tells a snapshot of the stream read now from one of a stream created anew', () => {
    const stream = { created: NEW, state: { last_seq: 5000 } };
    expect(fromAnotherStream(loaded(4000, NEW), stream)).toBe(false);
    // Behind the new stream's end, yet from the old one: the sequence alone would not tell.
    expect(fromAnotherStream(loaded(4000, OLD), stream)).toBe(true);
    // Written before the stream was recorded: judged by its sequence.
    expect(fromAnotherStream(loaded(4000), stream)).toBe(false);
    expect(fromAnotherStream(loaded(6000), stream)).toBe(true);
  });

  it('carries a state over to a new stream: read from its first message, logged clock inputs before it', () => {
    expect(carriedOver(loaded(4000, OLD))).toEqual({
      state: undefined,
      seq: 0,
      clockNo: 7,
      replay: [tick(8, 0), tick(9, 0)],
    });
  });
});
