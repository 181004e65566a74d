import type { Pool } from '@wachtpost/platform';
import type { PoolClient } from 'pg';
import copyStreams from 'pg-copy-streams';
import { copyText, SENSOR_EVENT_COLUMNS } from './copy-line';
import type { AcceptedRow, RejectedRow } from './prepare';

export interface InsertResult {
  /** Event ids stored by this write; accepted rows missing here were already stored (duplicates). */
  inserted: Set<string>;
  rejectedByReason: Map<string, number>;
}

const INSERT_REJECTED = `
INSERT INTO rejected_events (stream_seq, subject, reason, detail, event_id, raw)
SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[])
ON CONFLICT DO NOTHING
RETURNING reason`;

// PostgreSQL text cannot hold NUL; a rejection must still be storable whatever the sender put in it.
const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const UNIQUE_VIOLATION = '23505';

function copyInto(client: PoolClient, table: string, rows: AcceptedRow[]): Promise<void> {
  const stream = client.query(copyStreams.from(`COPY ${table} (${SENSOR_EVENT_COLUMNS}) FROM STDIN`));
  return new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
    stream.end(copyText(rows));
  });
}

/**
 * The same rows through a per-session staging table, then INSERT ... ON CONFLICT DO NOTHING, which skips the
 * events already stored; one transaction, so a failure leaves neither table changed.
 */
async function insertAcceptedSkippingStored(client: PoolClient, rows: AcceptedRow[]): Promise<Set<string>> {
  await client.query('BEGIN');
  try {
    await client.query(
      'CREATE TEMP TABLE IF NOT EXISTS incoming_sensor_events (LIKE sensor_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS',
    );
    await copyInto(client, 'incoming_sensor_events', rows);
    const { rows: stored } = await client.query<{ event_id: string }>(
      `INSERT INTO sensor_events (${SENSOR_EVENT_COLUMNS})
       SELECT ${SENSOR_EVENT_COLUMNS} FROM incoming_sensor_events
       ON CONFLICT DO NOTHING RETURNING event_id`,
    );
    await client.query('COMMIT');
    return new Set(stored.map((r) => r.event_id));
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function insertRejected(client: PoolClient, rows: RejectedRow[]): Promise<Map<string, number>> {
  const { rows: stored } = await client.query<{ reason: string }>({
    name: 'ingest-insert-rejected',
    text: INSERT_REJECTED,
    values: [
      rows.map((r) => r.streamSeq),
      rows.map((r) => storable(r.subject)),
      rows.map((r) => r.reason),
      rows.map((r) => storable(r.detail)),
      rows.map((r) => (r.eventId === null ? null : storable(r.eventId))),
      rows.map((r) => asBuffer(r.raw)),
    ],
  });
  const byReason = new Map<string, number>();
  for (const { reason } of stored) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  return byReason;
}

/**
 * Writes one batch. Accepted rows go in with a single COPY, the fastest path PostgreSQL has; when the COPY meets
 * an event already stored, the batch is written again through a staging table with INSERT ... ON CONFLICT DO
 * NOTHING, which skips it.
 * Each statement is atomic and idempotent on its own (eventId; stream sequence and bytes for rejections), so
 * a retry after a failure between them stores nothing twice.
 */
export async function insertRows(
  pool: Pool,
  accepted: AcceptedRow[],
  rejected: RejectedRow[],
): Promise<InsertResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const rejectedByReason = rejected.length
      ? await insertRejected(client, rejected)
      : new Map<string, number>();
    let inserted = new Set<string>();
    if (accepted.length) {
      try {
        await copyInto(client, 'sensor_events', accepted);
        inserted = new Set(accepted.map((r) => r.eventId));
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
        inserted = await insertAcceptedSkippingStored(client, accepted);
      }
    }
    return { inserted, rejectedByReason };
  } catch (err) {
    // A connection that failed mid-COPY is in an unknown protocol state: discard it rather than reuse it.
    if (!(err as { code?: string }).code) broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}
