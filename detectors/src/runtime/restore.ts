import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@wachtpost/platform';
import type { Pool } from 'pg';
import type { Restored } from './correlator';
import { retryUntilDone, type RetryOptions } from './retry';
import { discardSnapshot, loadSnapshot } from './state-store';

export interface RestoreOptions {
  pool: Pool;
  jsm: JetStreamManager;
  stream: string;
  partition: string;
  log: Logger;
  retry: RetryOptions;
}

/**
 * The state to continue from: the last snapshot and the clock inputs logged after it, or undefined on a first
 * start. A snapshot ahead of the stream's last sequence belongs to a stream that was deleted and created
 * again; its sequence numbers would make every new message look processed, so it is discarded.
 */
export async function restoreState(options: RestoreOptions): Promise<Restored | undefined> {
  const { pool, jsm, stream, partition, log, retry } = options;
  const restored = await retryUntilDone(() => loadSnapshot(pool, partition), retry);
  if (!restored) {
    log.info({ partition }, 'no detector state yet: starting from the beginning of the stream');
    return undefined;
  }
  const info = await retryUntilDone(() => jsm.streams.info(stream), retry);
  if (restored.seq > info.state.last_seq) {
    log.warn(
      { partition, snapshotSeq: restored.seq, streamLastSeq: info.state.last_seq },
      'detector state is ahead of the stream (the stream was recreated): discarding it',
    );
    await retryUntilDone(() => discardSnapshot(pool, partition), retry);
    return undefined;
  }
  log.info(
    { partition, seq: restored.seq, clockInputs: restored.replay.length },
    'detector state restored; replaying the stream from there',
  );
  return restored;
}
