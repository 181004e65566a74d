import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Pool, PoolClient } from 'pg';
import type { EngineState } from '../engine/lane-state';
import { unpackState } from '../engine/state-codec';
import type { ClockInput, OperatorInput } from './clock-input';
import type { Restored, Snapshot } from './correlator';

// Only a newer position replaces the stored one: a slow write of an older snapshot must not win over a newer
// one whose transaction already deleted the clock inputs the older one would need.
const SAVE_SNAPSHOT = `
INSERT INTO detector_state (partition, stream_seq, seq_stored_at, clock_no, packed, updated_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (partition) DO UPDATE SET
  stream_seq = EXCLUDED.stream_seq, seq_stored_at = EXCLUDED.seq_stored_at, clock_no = EXCLUDED.clock_no,
  state = NULL, packed = EXCLUDED.packed, updated_at = now()
WHERE (detector_state.stream_seq, detector_state.clock_no) <= (EXCLUDED.stream_seq, EXCLUDED.clock_no)`;

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
  snapshot: Snapshot,
): Promise<void> {
  const packed = await deflate(snapshot.state, { level: zlib.constants.Z_BEST_SPEED });
  await db.query(SAVE_SNAPSHOT, [
    partition,
    snapshot.seq,
    snapshot.seqStoredAtMs ?? null,
    snapshot.clockNo,
    packed,
  ]);
  await db.query('DELETE FROM detector_clock WHERE partition = $1 AND no <= $2', [
    partition,
    snapshot.clockNo,
  ]);
}

/**
 * The last snapshot of a partition and the clock inputs logged after it, or undefined on a first start.
 * (The snapshot is written by commitUnit, inside a batch's transaction.)
 */
export async function loadSnapshot(pool: Pool, partition: string): Promise<Restored | undefined> {
  const { rows } = await pool.query<{
    stream_seq: string;
    clock_no: string;
    state: EngineState | null;
    packed: Buffer | null;
    seq_stored_at: string | null;
  }>('SELECT stream_seq, seq_stored_at, clock_no, state, packed FROM detector_state WHERE partition = $1', [
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
    ...(row?.seq_stored_at != null && { seqStoredAtMs: Number(row.seq_stored_at) }),
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

/**
 * Moves a partition's stored position to the start of a stream created anew, keeping its state: the snapshot
 * at sequence 0, and the clock inputs logged after it placed before the new stream's first message.
 */
export async function rebaseSnapshot(pool: Pool, partition: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ clock_no: string }>(
      'UPDATE detector_state SET stream_seq = 0, seq_stored_at = NULL WHERE partition = $1 RETURNING clock_no',
      [partition],
    );
    await client.query('UPDATE detector_clock SET after_seq = 0 WHERE partition = $1 AND no > $2', [
      partition,
      rows[0]?.clock_no ?? 0,
    ]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
