import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@wachtpost/platform';
import type { Pool } from 'pg';
import type { Position, Restored } from './correlator';
import { retryUntilDone, type RetryOptions } from './retry';
import { loadSnapshot, rebaseSnapshot } from './state-store';

export interface RestoreOptions {
  pool: Pool;
  jsm: JetStreamManager;
  stream: string;
  partition: string;
  log: Logger;
  retry: RetryOptions;
}

/**
 * Whether a snapshot's position lies in another stream than the one read now: one deleted and created again
 * since, which numbers its messages from 1 again. The message at the snapshot's sequence tells: stored at
 * another time, or beyond the stream's end. Aged out or deleted from this stream, it is no sign.
 */
export async function fromAnotherStream(
  position: Position,
  stream: { first_seq: number; last_seq: number },
  storedAtOf: (seq: number) => Promise<number | undefined>,
): Promise<boolean> {
  if (position.seq === 0) return false;
  if (position.seq > stream.last_seq) return true;
  // Written before the stored time was recorded, or aged out since: the sequence is all there is to go by.
  if (position.seqStoredAtMs === undefined || position.seq < stream.first_seq) return false;
  const storedAt = await storedAtOf(position.seq);
  return storedAt !== undefined && storedAt !== position.seqStoredAtMs;
}

/**
 * A state carried over to a new stream: what it learnt (open alerts, windows, tracks, sensors' last signs of
 * life) stays, and the new stream is read from its first message. The clock inputs logged after the snapshot
 * came before the old stream was lost, so they come before every message of the new one.
 */
export function carriedOver(restored: Restored): Restored {
  return {
    state: restored.state,
    seq: 0,
    clockNo: restored.clockNo,
    replay: restored.replay.map((input) => ({ ...input, afterSeq: 0 })),
  };
}

/**
 * The state to continue from: the last snapshot and the clock inputs logged after it, or undefined on a first
 * start. A snapshot of a stream that was deleted and created again is carried over to the new stream rather
 * than dropped: its sequences mean nothing there, but its open alerts and windows still hold, and a state
 * started empty would raise again, under the same ids, alerts that are open already.
 */
export async function restoreState(options: RestoreOptions): Promise<Restored | undefined> {
  const { pool, jsm, stream, partition, log, retry } = options;
  const restored = await retryUntilDone(() => loadSnapshot(pool, partition), retry);
  if (!restored) {
    log.info({ partition }, 'no detector state yet: starting from the beginning of the stream');
    return undefined;
  }
  const storedAtOf = async (seq: number) => (await jsm.streams.getMessage(stream, { seq }))?.time.getTime();
  const another = await retryUntilDone(
    async () => fromAnotherStream(restored, (await jsm.streams.info(stream)).state, storedAtOf),
    retry,
  );
  if (another) {
    log.warn(
      { partition, snapshotSeq: restored.seq },
      `the ${stream} stream was created anew since the detector state was saved: keeping the state and reading ` +
        'the new stream from its first message (events the old stream held after the snapshot are not correlated)',
    );
    await retryUntilDone(() => rebaseSnapshot(pool, partition), retry);
    return carriedOver(restored);
  }
  log.info(
    { partition, seq: restored.seq, clockInputs: restored.replay.length },
    'detector state restored; replaying the stream from there',
  );
  return restored;
}
