import {
  locate,
  validateSensorMessage,
  type RejectReason,
  type SensorEvent,
  type SiteIndex,
  type ValidationContext,
} from '@wachtpost/contracts';

/** One message as ingest sees it: the subject, the raw bytes and the stream sequence. */
export interface RawMessage {
  subject: string;
  data: Uint8Array;
  streamSeq: number;
}

export interface AcceptedRow {
  event: SensorEvent;
  wingId: string | null;
  zoneId: string | null;
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

/**
 * The wing a zone lies in, when it lies in exactly one. A module function, not a closure made per event: under
 * tsx (esbuild keepNames) every named closure is also named with defineProperty as it is created.
 */
function wingOfZone(site: SiteIndex, zoneId: string): string | null {
  const wings = site.zones.get(zoneId)?.wingIds ?? [];
  return wings.length === 1 ? wings[0]! : null;
}

/** Where an event happened, for the columns analysts filter on. */
export function placeOf(
  event: SensorEvent,
  site: SiteIndex,
): { wingId: string | null; zoneId: string | null } {
  switch (event.kind) {
    case 'gsm':
      return { zoneId: event.zoneId, wingId: wingOfZone(site, event.zoneId) };
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
        wingId: where.wingId ?? (where.zoneId ? wingOfZone(site, where.zoneId) : null),
      };
    }
    case 'heartbeat':
      return { zoneId: null, wingId: null };
  }
}

/** Validates a batch against the contract and the site models: pure, so it is tested without NATS or a database. */
export function prepareBatch(messages: readonly RawMessage[], ctx: ValidationContext): PreparedBatch {
  const accepted: AcceptedRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  let duplicatesInBatch = 0;
  for (const message of messages) {
    const verdict = validateSensorMessage(message.subject, message.data, ctx);
    if (!verdict.ok) {
      rejected.push({
        streamSeq: message.streamSeq,
        subject: message.subject,
        reason: verdict.reason,
        detail: verdict.detail,
        eventId: verdict.eventId ?? null,
        raw: message.data,
      });
      continue;
    }
    if (seen.has(verdict.event.eventId)) {
      duplicatesInBatch++;
      continue;
    }
    seen.add(verdict.event.eventId);
    const site = ctx.sites.get(verdict.event.siteId)!;
    accepted.push({
      event: verdict.event,
      ...placeOf(verdict.event, site),
      streamSeq: message.streamSeq,
      message,
    });
  }
  return { accepted, rejected, duplicatesInBatch };
}

/** Turns a row the database refused (say a \u0000 in a string, which jsonb cannot hold) into a rejection. */
export function refusedByDatabase(row: AcceptedRow, error: string): RejectedRow {
  return {
    streamSeq: row.streamSeq,
    subject: row.message.subject,
    reason: 'schema',
    detail: `the database refused the event: ${error}`,
    eventId: row.event.eventId,
    raw: row.message.data,
  };
}
