import type { SensorEvent } from '@wachtpost/contracts';

export const SENSOR_EVENT_COLUMNS =
  'event_id, site_id, kind, sensor_id, observed_at, seq, exercise, wing_id, zone_id, stream_seq, body';

const orNull = (v: string | number | null | undefined) => (v === null || v === undefined ? '\\N' : v);

/**
 * One sensor_events row as a line of COPY text. Ids, kinds and times are contract-checked and carry no tab,
 * newline or backslash; the body is JSON.stringify output, which escapes control characters, so only its
 * backslashes need doubling.
 */
export function copyLine(
  event: SensorEvent,
  place: { wingId: string | null; zoneId: string | null },
  streamSeq: number,
): string {
  const body = JSON.stringify(event);
  return (
    `${event.eventId}\t${event.siteId}\t${event.kind}\t${event.sensorId}\t${event.observedAt}\t` +
    `${orNull(event.seq)}\t${event.exercise}\t${orNull(place.wingId)}\t${orNull(place.zoneId)}\t${streamSeq}\t` +
    `${body.includes('\\') ? body.replaceAll('\\', '\\\\') : body}\n`
  );
}

/** The COPY data of rows whose lines `copyLine` encoded. */
export const copyText = (rows: readonly { copyLine: Uint8Array }[]): Buffer =>
  Buffer.concat(rows.map((row) => row.copyLine));
