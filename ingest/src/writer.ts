import type { Pool } from '@wachtpost/platform';
import type { AcceptedRow, RejectedRow } from './prepare';

export interface InsertResult {
  /** Event ids stored by this statement; accepted rows missing here were already stored (duplicates). */
  inserted: Set<string>;
  rejectedByReason: Map<string, number>;
}

// One statement, so one round trip and one implicit transaction for the whole batch.
const INSERT_BATCH = `
WITH accepted AS (
  INSERT INTO sensor_events
    (event_id, site_id, kind, sensor_id, observed_at, seq, exercise, wing_id, zone_id, stream_seq, body)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[],
                       $7::boolean[], $8::text[], $9::text[], $10::bigint[], $11::jsonb[])
  ON CONFLICT DO NOTHING
  RETURNING event_id
), rejected AS (
  INSERT INTO rejected_events (stream_seq, subject, reason, detail, event_id, raw)
  SELECT * FROM unnest($12::bigint[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[])
  ON CONFLICT DO NOTHING
  RETURNING reason
)
SELECT event_id, NULL AS reason FROM accepted
UNION ALL
SELECT NULL, reason FROM rejected`;

// PostgreSQL text cannot hold NUL; a rejection must still be storable whatever the sender put in it.
const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export async function insertRows(pool: Pool, accepted: AcceptedRow[], rejected: RejectedRow[]): Promise<InsertResult> {
  const n = accepted.length;
  const cols = {
    eventId: new Array<string>(n),
    siteId: new Array<string>(n),
    kind: new Array<string>(n),
    sensorId: new Array<string>(n),
    observedAt: new Array<string>(n),
    seq: new Array<number | null>(n),
    exercise: new Array<boolean>(n),
    wingId: new Array<string | null>(n),
    zoneId: new Array<string | null>(n),
    streamSeq: new Array<number>(n),
    body: new Array<string>(n),
  };
  accepted.forEach((row, i) => {
    const e = row.event;
    cols.eventId[i] = e.eventId;
    cols.siteId[i] = e.siteId;
    cols.kind[i] = e.kind;
    cols.sensorId[i] = e.sensorId;
    cols.observedAt[i] = e.observedAt;
    cols.seq[i] = e.seq ?? null;
    cols.exercise[i] = e.exercise;
    cols.wingId[i] = row.wingId;
    cols.zoneId[i] = row.zoneId;
    cols.streamSeq[i] = row.streamSeq;
    cols.body[i] = JSON.stringify(e);
  });
  const { rows } = await pool.query<{ event_id: string | null; reason: string | null }>({
    name: 'ingest-insert-batch',
    text: INSERT_BATCH,
    values: [
      ...Object.values(cols),
      rejected.map((r) => r.streamSeq),
      rejected.map((r) => storable(r.subject)),
      rejected.map((r) => r.reason),
      rejected.map((r) => storable(r.detail)),
      rejected.map((r) => (r.eventId === null ? null : storable(r.eventId))),
      rejected.map((r) => asBuffer(r.raw)),
    ],
  });
  const inserted = new Set<string>();
  const rejectedByReason = new Map<string, number>();
  for (const row of rows) {
    if (row.event_id !== null) inserted.add(row.event_id);
    else if (row.reason !== null) rejectedByReason.set(row.reason, (rejectedByReason.get(row.reason) ?? 0) + 1);
  }
  return { inserted, rejectedByReason };
}
