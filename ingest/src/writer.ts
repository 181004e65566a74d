import type { Pool } from '@wachtpost/platform';
import type { PoolClient } from 'pg';
import copyStreams from 'pg-copy-streams';
import type { AcceptedRow, RejectedRow } from './prepare';

export interface InsertResult {
  /** Event ids stored by this write; accepted rows missing here were already stored (duplicates). */
  inserted: Set<string>;
  rejectedByReason: Map<string, number>;
}

export const SENSOR_EVENT_COLUMNS =
  'event_id, site_id, kind, sensor_id, observed_at, seq, exercise, wing_id, zone_id, stream_seq, body';

// Used when COPY meets a stored eventId (a redelivery, a gateway retry outside the NATS duplicate window).
const INSERT_ACCEPTED = `
INSERT INTO sensor_events (${SENSOR_EVENT_COLUMNS})
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[],
                     $7::boolean[], $8::text[], $9::text[], $10::bigint[], $11::jsonb[])
ON CONFLICT DO NOTHING
RETURNING event_id`;

const INSERT_REJECTED = `
INSERT INTO rejected_events (stream_seq, subject, reason, detail, event_id, raw)
SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[])
ON CONFLICT DO NOTHING
RETURNING reason`;

// PostgreSQL text cannot hold NUL; a rejection must still be storable whatever the sender put in it.
const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const UNIQUE_VIOLATION = '23505';

function columnsOf(row: AcceptedRow) {
  const e = row.event;
  return [
    e.eventId,
    e.siteId,
    e.kind,
    e.sensorId,
    e.observedAt,
    e.seq ?? null,
    e.exercise,
    row.wingId,
    row.zoneId,
    row.streamSeq,
  ];
}

/**
 * COPY text format. Ids, kinds and times are contract-checked and carry no tab, newline or backslash; the body is
 * JSON.stringify output, which escapes control characters, so only its backslashes need doubling.
 */
export function copyText(rows: AcceptedRow[]): string {
  let text = '';
  for (const row of rows) {
    const cols = columnsOf(row).map((v) => (v === null ? '\\N' : String(v)));
    text += `${cols.join('\t')}\t${JSON.stringify(row.event).replaceAll('\\', '\\\\')}\n`;
  }
  return text;
}

async function copyAccepted(client: PoolClient, rows: AcceptedRow[]): Promise<void> {
  const stream = client.query(copyStreams.from(`COPY sensor_events (${SENSOR_EVENT_COLUMNS}) FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
    stream.end(copyText(rows));
  });
}

async function insertAcceptedSkippingStored(client: PoolClient, rows: AcceptedRow[]): Promise<Set<string>> {
  const columns = Array.from({ length: 11 }, () => new Array<unknown>(rows.length));
  rows.forEach((row, i) => {
    columnsOf(row).forEach((v, c) => (columns[c]![i] = v));
    columns[10]![i] = JSON.stringify(row.event);
  });
  const { rows: stored } = await client.query<{ event_id: string }>({
    name: 'ingest-insert-accepted',
    text: INSERT_ACCEPTED,
    values: columns,
  });
  return new Set(stored.map((r) => r.event_id));
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
 * an event already stored, the batch is written again with INSERT ... ON CONFLICT DO NOTHING, which skips it.
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
        await copyAccepted(client, accepted);
        inserted = new Set(accepted.map((r) => r.event.eventId));
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
