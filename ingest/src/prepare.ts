import {
  locate,
  validateSensorMessage,
  type RejectReason,
  type SensorEvent,
  type SiteIndex,
  type ValidationContext,
} from '@wachtpost/contracts';
import { copyLine } from './copy-line';

/** One message as ingest sees it: the subject, the raw bytes and the stream sequence. */
export interface RawMessage {
  subject: string;
  data: Uint8Array;
  streamSeq: number;
}

/**
 * An accepted event, already encoded as its row. The parsed event is not kept: a batch waits for its commit
 * for a while, and thousands of parsed events kept alive that long cost more in garbage collection than
 * validating them did.
 */
export interface AcceptedRow {
  eventId: string;
  /** observedAt in epoch ms, for the lag metric. */
  observedAtMs: number;
  /** The sensor_events row as a line of COPY text. */
  copyLine: Buffer;
  streamSeq: number;
  /** The message this row came from, so a row the database refuses can be rejected with its bytes. */
  message: RawMessage;
}

export interface RejectedRow {
  streamSeq: number;
  subject: string;
  reason: RejectReason;
  detail: string;
  eventId: string | null;
  raw: Uint8Array;
}

export interface PreparedBatch {
  accepted: AcceptedRow[];
  rejected: RejectedRow[];
  /** Repeats of an eventId inside this batch; repeats of stored events are found by the database. */
  duplicatesInBatch: number;
}

/** Where an event happened, for the columns analysts filter on. */
export function placeOf(
  event: SensorEvent,
  site: SiteIndex,
): { wingId: string | null; zoneId: string | null } {
  const wingOfZone = (zoneId: string) => {
    const wings = site.zones.get(zoneId)?.wingIds ?? [];
    return wings.length === 1 ? wings[0]! : null;
  };
  switch (event.kind) {
    case 'gsm':
      return { zoneId: event.zoneId, wingId: wingOfZone(event.zoneId) };
    case 'roster':
      return event.cellId === undefined
        ? { zoneId: null, wingId: null }
        : { zoneId: event.cellId, wingId: site.wingOfCell.get(event.cellId) ?? null };
    case 'search': {
      const wings = new Set(event.cellIds.map((c) => site.wingOfCell.get(c)));
      const only = wings.size === 1 ? [...wings][0] : undefined;
      return { zoneId: event.cellIds.length === 1 ? event.cellIds[0]! : null, wingId: only ?? null };
    }
    case 'drone': {
      if (!event.position) return { zoneId: null, wingId: null };
      const where = locate(site, [event.position.lat, event.position.lon]);
      return {
        zoneId: where.zoneId ?? null,
        wingId: where.wingId ?? (where.zoneId ? wingOfZone(where.zoneId) : null),
      };
    }
    case 'heartbeat':
      return { zoneId: null, wingId: null };
  }
}

/**
 * Builds a batch one message at a time, validating and encoding each as it arrives: pure, so it is tested
 * without NATS or a database. A message's parsed event dies young; the batch keeps only its encoded row.
 */
export class BatchBuilder {
  private readonly accepted: AcceptedRow[] = [];
  private readonly rejected: RejectedRow[] = [];
  private readonly seen = new Set<string>();
  private duplicatesInBatch = 0;

  constructor(private readonly ctx: ValidationContext) {}

  add(message: RawMessage): void {
    const verdict = validateSensorMessage(message.subject, message.data, this.ctx);
    if (!verdict.ok) {
      this.rejected.push({
        streamSeq: message.streamSeq,
        subject: message.subject,
        reason: verdict.reason,
        detail: verdict.detail,
        eventId: verdict.eventId ?? null,
        raw: message.data,
      });
      return;
    }
    const { event } = verdict;
    if (this.seen.has(event.eventId)) {
      this.duplicatesInBatch++;
      return;
    }
    this.seen.add(event.eventId);
    const place = placeOf(event, this.ctx.sites.get(event.siteId)!);
    this.accepted.push({
      eventId: event.eventId,
      observedAtMs: Date.parse(event.observedAt),
      // Off the JS heap (Buffer.from takes small ones from a shared slab), so a waiting batch costs the
      // garbage collector one small object per row.
      copyLine: Buffer.from(copyLine(event, place, message.streamSeq)),
      streamSeq: message.streamSeq,
      message,
    });
  }

  finish(): PreparedBatch {
    return { accepted: this.accepted, rejected: this.rejected, duplicatesInBatch: this.duplicatesInBatch };
  }
}

/** Validates a batch against the contract and the site models. */
export function prepareBatch(messages: readonly RawMessage[], ctx: ValidationContext): PreparedBatch {
  const batch = new BatchBuilder(ctx);
  for (const message of messages) batch.add(message);
  return batch.finish();
}

/** Turns a row the database refused (say a \u0000 in a string, which jsonb cannot hold) into a rejection. */
export function refusedByDatabase(row: AcceptedRow, error: string): RejectedRow {
  return {
    streamSeq: row.streamSeq,
    subject: row.message.subject,
    reason: 'schema',
    detail: `the database refused the event: ${error}`,
    eventId: row.eventId,
    raw: row.message.data,
  };
}
