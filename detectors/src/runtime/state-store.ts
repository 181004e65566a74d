import type { Pool } from 'pg';
import type { EngineState } from '../engine/lane-state';
import type { ClockInput } from './clock-input';
import type { Restored } from './correlator';

/**
 * The last snapshot of a partition and the clock inputs logged after it, or undefined on a first start.
 * (The snapshot is written by commitUnit, inside a batch's transaction.)
 */
export async function loadSnapshot(pool: Pool, partition: string): Promise<Restored | undefined> {
  const { rows } = await pool.query<{ stream_seq: string; clock_no: string; state: EngineState }>(
    'SELECT stream_seq, clock_no, state FROM detector_state WHERE partition = $1',
    [partition],
  );
  const row = rows[0];
  const clockNo = row ? Number(row.clock_no) : 0;
  const logged = await pool.query<{
    no: string;
    after_seq: string;
    kind: ClockInput['kind'];
    site_id: string;
    at: Date;
  }>(
    'SELECT no, after_seq, kind, site_id, at FROM detector_clock WHERE partition = $1 AND no > $2 ORDER BY no',
    [partition, clockNo],
  );
  if (!row && logged.rows.length === 0) return undefined;
  return {
    // Clock inputs without a snapshot: the first start crashed before its first snapshot; replay from scratch.
    state: row?.state,
    seq: row ? Number(row.stream_seq) : 0,
    clockNo,
    replay: logged.rows.map((r) => ({
      no: Number(r.no),
      afterSeq: Number(r.after_seq),
      kind: r.kind,
      siteId: r.site_id,
      at: r.at.getTime(),
    })),
  };
}

/** Forgets a partition's snapshot (its stream was recreated, so its sequence numbers mean nothing now). */
export async function discardSnapshot(pool: Pool, partition: string): Promise<void> {
  await pool.query('DELETE FROM detector_state WHERE partition = $1', [partition]);
  await pool.query('DELETE FROM detector_clock WHERE partition = $1', [partition]);
}
