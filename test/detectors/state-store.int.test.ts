import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, syntheticEvents, runDetect } from '@wachtpost/detectors';
import { migrate } from '@wachtpost/platform';
import { packState } from '../../detectors/src/engine/state-codec';
import { loadSnapshot, rebaseSnapshot, saveSnapshot } from '../../detectors/src/runtime/state-store';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { demoSite as site } from '../support/events';
import { quietLog } from '../support/harness';

const STORED_AT = 1_764_450_000_123;

describe('detector state store', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const state = runDetect(createEngine([site]), syntheticEvents(site.site, { count: 3000, seed: 3 })).state;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.url, quietLog);
    pool = new pg.Pool({ connectionString: db.url });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('writes snapshots compressed and reads them back', async () => {
    await saveSnapshot(pool, 'p1', {
      state: packState(state),
      seq: 42,
      seqStoredAtMs: STORED_AT,
      clockNo: 7,
    });
    const { rows } = await pool.query<{ state: unknown; packed: Buffer }>(
      'SELECT state, packed FROM detector_state WHERE partition = $1',
      ['p1'],
    );
    expect(rows[0]!.state).toBeNull();
    expect(rows[0]!.packed.length).toBeLessThan(packState(state).length / 3);
    const restored = await loadSnapshot(pool, 'p1');
    expect(restored).toMatchObject({ seq: 42, seqStoredAtMs: STORED_AT, clockNo: 7, replay: [] });
    expect(restored!.state).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it('reads a snapshot an earlier version stored as json, and replaces it with a compressed one', async () => {
    await pool.query(
      'INSERT INTO detector_state (partition, stream_seq, clock_no, state) VALUES ($1, 5, 0, $2::json)',
      ['p2', JSON.stringify(state)],
    );
    expect((await loadSnapshot(pool, 'p2'))!.state).toEqual(JSON.parse(JSON.stringify(state)));
    await saveSnapshot(pool, 'p2', { state: packState(state), seq: 6, clockNo: 0 });
    const { rows } = await pool.query(
      'SELECT state IS NULL AS gone, packed IS NOT NULL AS packed FROM detector_state',
    );
    expect(rows.find((r) => r.gone && r.packed)).toBeDefined();
    expect(await loadSnapshot(pool, 'p2')).toMatchObject({ seq: 6 });
  });

  it('keeps a newer position against a late older write, and moves it to a new stream keeping the state', async () => {
    const packed = packState(state);
    await saveSnapshot(pool, 'p3', { state: packed, seq: 900, seqStoredAtMs: STORED_AT, clockNo: 4 });
    await saveSnapshot(pool, 'p3', { state: packed, seq: 800, seqStoredAtMs: STORED_AT - 5, clockNo: 4 });
    expect(await loadSnapshot(pool, 'p3')).toMatchObject({ seq: 900, seqStoredAtMs: STORED_AT });
    await pool.query(
      `INSERT INTO detector_clock (partition, no, after_seq, kind, site_id, at)
       VALUES ('p3', 4, 899, 'advance', 'demo', now()), ('p3', 5, 903, 'advance', 'demo', now())`,
    );
    // The stream was created anew: the position goes to its start, the later clock input before its first message.
    await rebaseSnapshot(pool, 'p3');
    const rebased = await loadSnapshot(pool, 'p3');
    expect(rebased).toMatchObject({ seq: 0, clockNo: 4, replay: [{ no: 5, afterSeq: 0 }] });
    expect(rebased!.seqStoredAtMs).toBeUndefined();
    expect(rebased!.state).toEqual(JSON.parse(JSON.stringify(state)));
    // From there the new stream's snapshots, at low sequences, replace it.
    await saveSnapshot(pool, 'p3', { state: packed, seq: 3, seqStoredAtMs: STORED_AT + 1, clockNo: 5 });
    expect(await loadSnapshot(pool, 'p3')).toMatchObject({
      seq: 3,
      seqStoredAtMs: STORED_AT + 1,
      clockNo: 5,
    });
  });
});
