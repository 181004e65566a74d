import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@wachtpost/platform';
import type { Pool } from 'pg';
import type { Restored } from './correlator';
import { retryUntilDone, type RetryOptions } from './retry';
import { loadSnapshot, type LoadedState } from './state-store';

export interface RestoreOptions {
  pool: Pool;
  jsm: JetStreamManager;
  stream: string;
  partition: string;
  log: Logger;
  retry: RetryOptions;
}

export interface RestoredPosition {
  /** Undefined on a first start. */
  restored: Restored | undefined;
  /** The creation time of the stream read now, which the snapshots written from here on name. */
  streamCreated: string;
}

/** Whether a snapshot's sequence counts in a stream other than `current` (one deleted and created again since). */
export function fromAnotherStream(
  loaded: LoadedState,
  current: { created: string; state: { last_seq: number } },
): boolean {
  // A snapshot written before the stream was recorded: a sequence beyond the stream's end gives it away.
  if (loaded.streamCreated === undefined) return loaded.seq > current.state.last_seq;
  return loaded.streamCreated !== current.created;
}

/**
 * A state carried over to a new stream: what it learnt (open alerts, windows, tracks, sensors' last signs of
 * life) stays, and the new stream is read from its first message. The clock inputs logged after the snapshot
 * came before the old stream was lost, so they come before every message of the new one.
 */
export function carriedOver(loaded: LoadedState): Restored {
  return {
    state: loaded.state,
    seq: 0,
    clockNo: loaded.clockNo,
    replay: loaded.replay.map((input) => ({ ...input, afterSeq: 0 })),
  };
}

/**
 * The state to continue from: the last snapshot and the clock inputs logged after it, or undefined on a first
 * start. A snapshot of a stream that was deleted and created again is carried over to the new stream rather
 * than dropped: its sequences mean nothing there, but its open alerts and windows still hold, and a state
 * started empty would raise again, as new alerts, what is open already.
 */
export async function restoreState(options: RestoreOptions): Promise<RestoredPosition> {
  const { pool, jsm, stream, partition, log, retry } = options;
  const loaded = await retryUntilDone(() => loadSnapshot(pool, partition), retry);
  const info = await retryUntilDone(() => jsm.streams.info(stream), retry);
  const streamCreated = info.created;
  if (!loaded) {
    log.info({ partition }, 'no detector state yet: starting from the beginning of the stream');
    return { restored: undefined, streamCreated };
  }
  if (fromAnotherStream(loaded, info)) {
    log.warn(
      { partition, snapshotSeq: loaded.seq, snapshotStream: loaded.streamCreated, stream: streamCreated },
      `the ${stream} stream was created anew since the detector state was saved: keeping the state and reading ` +
        'the new stream from its first message (events the old stream held after the snapshot are not correlated)',
    );
    return { restored: carriedOver(loaded), streamCreated };
  }
  log.info(
    { partition, seq: loaded.seq, clockInputs: loaded.replay.length },
    'detector state restored; replaying the stream from there',
  );
  return { restored: loaded, streamCreated };
}
