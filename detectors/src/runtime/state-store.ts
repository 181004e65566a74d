import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Pool, PoolClient } from 'pg';
import type { EngineState } from '../engine/lane-state';
import { unpackState } from '../engine/state-codec';
import type { ClockInput, OperatorInput } from './clock-input';
import type { Restored, Snapshot } from './correlator';

// Only a newer position replaces the stored one: a slow write of an older snapshot must not win over a newer
// one whose transaction already deleted the clock inputs the older one would need. A snapshot of a stream
// created anew replaces one of the old stream whatever its sequence (the new stream counts from 1 again).
const SAVE_SNAPSHOT = `
INSERT INTO detector_state (partition, stream_seq, clock_no, packed, stream_created, updated_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (partition) DO UPDATE SET
  stream_seq = EXCLUDED.stream_seq, clock_no = EXCLUDED.clock_no, state = NULL, packed = EXCLUDED.packed,
  stream_created = EXCLUDED.stream_created, updated_at = now()
WHERE detector_state.stream_created IS DISTINCT FROM EXCLUDED.stream_created
   OR (detector_state.stream_seq, detector_state.clock_no) <= (EXCLUDED.stream_seq, EXCLUDED.clock_no)`;

/** A snapshot as stored: with the creation time of the stream its sequence counts in. */
export interface StoredSnapshot extends Snapshot {
  streamCreated: string;
}

/** A stored snapshot as loaded; `streamCreated` is absent for one written before it was recorded. */
export interface LoadedState extends Restored {
  streamCreated?: string;
}

/**
 * Compressed off the event loop (zlib runs on libuv's threads), at the fastest level: about 40% of the bytes,
 * and PostgreSQL neither parses nor compresses tens of MB per snapshot (migration 008).
 */
const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);

/**
 * Writes a snapshot of the engine state and forgets the clock inputs it covers. Inside a batch's transaction
 * (a final snapshot) or in one of its own, started after the commit of the batch it follows.
 */
export async function saveSnapshot(
  db: Pool | PoolClient,
  partition: string,
  snapshot: StoredSnapshot,
): Promise<void> {
  const packed = await deflate(snapshot.state, { level: zlib.constants.Z_BEST_SPEED });
  await db.query(SAVE_SNAPSHOT, [partition, snapshot.seq, snapshot.clockNo, packed, snapshot.streamCreated]);
  await db.query('DELETE FROM detector_clock WHERE partition = $1 AND no <= $2', [
    partition,
    snapshot.clockNo,
  ]);
}

/**
 * The last snapshot of a partition and the clock inputs logged after it, or undefined on a first start.
 * (The snapshot is written by commitUnit, inside a batch's transaction.)
 */
export async function loadSnapshot(pool: Pool, partition: string): Promise<LoadedState | undefined> {
  const { rows } = await pool.query<{
    stream_seq: string;
    clock_no: string;
    state: EngineState | null;
    packed: Buffer | null;
    stream_created: string | null;
  }>('SELECT stream_seq, clock_no, state, packed, stream_created FROM detector_state WHERE partition = $1', [
    partition,
  ]);
  const row = rows[0];
  const clockNo = row ? Number(row.clock_no) : 0;
  const logged = await pool.query<{
    no: string;
    after_seq: string;
    kind: ClockInput['kind'];
    site_id: string;
    at: Date;
    command: OperatorInput | null;
  }>(
    'SELECT no, after_seq, kind, site_id, at, command FROM detector_clock WHERE partition = $1 AND no > $2 ORDER BY no',
    [partition, clockNo],
  );
  if (!row && logged.rows.length === 0) return undefined;
  return {
    // Clock inputs without a snapshot: the first start crashed before its first snapshot; replay from scratch.
    state: row ? unpackState(row.packed ? (await inflate(row.packed)).toString() : row.state!) : undefined,
    seq: row ? Number(row.stream_seq) : 0,
    clockNo,
    ...(row?.stream_created && { streamCreated: row.stream_created }),
    replay: logged.rows.map((r) => ({
      no: Number(r.no),
      afterSeq: Number(r.after_seq),
      kind: r.kind,
      siteId: r.site_id,
      at: r.at.getTime(),
      ...(r.command && { command: r.command }),
    })),
  };
}
