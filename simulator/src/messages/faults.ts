import { MAX_EVENT_BYTES, sensorSubject, type RejectReason, type SensorEvent } from '@wachtpost/contracts';
import type { Rng } from '../rng';
import { encodeJson, toMessage, type OutMessage } from './message';

/** Faults that change what one message looks like. */
export const MESSAGE_FAULTS = [
  'json',
  'schema',
  'subject',
  'unknown-sensor',
  'unknown-zone',
  'skew-ahead',
  'skew-behind',
  'oversize',
] as const;
export type MessageFault = (typeof MESSAGE_FAULTS)[number];

/** Faults that change when or how often a valid message arrives, or whether it arrives at all. */
export const TIMING_FAULTS = ['duplicate', 'late', 'reorder', 'silence'] as const;
export type TimingFault = (typeof TIMING_FAULTS)[number];

export const FAULT_KINDS = [...MESSAGE_FAULTS, ...TIMING_FAULTS] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the receiving side should do with a message carrying each fault (CONTRACT.md section 1). */
export type Outcome =
  { accepted: true; duplicate?: boolean } | { accepted: false; reason: RejectReason } | 'absent';

export const EXPECTED_OUTCOME: Record<FaultKind, Outcome> = {
  json: { accepted: false, reason: 'json' },
  schema: { accepted: false, reason: 'schema' },
  subject: { accepted: false, reason: 'subject' },
  'unknown-sensor': { accepted: false, reason: 'site' },
  'unknown-zone': { accepted: false, reason: 'zone' },
  // More than five minutes ahead, and older than the stream's default 7-day retention.
  'skew-ahead': { accepted: false, reason: 'clock' },
  'skew-behind': { accepted: false, reason: 'clock' },
  oversize: { accepted: false, reason: 'size' },
  // Same eventId and Nats-Msg-Id: stored once.
  duplicate: { accepted: true, duplicate: true },
  // Late and out-of-order events are accepted and correlated within the allowed lateness.
  late: { accepted: true },
  reorder: { accepted: true },
  silence: 'absent',
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Whether a message fault can be made from this event (only some kinds name a zone or cell). */
export function faultApplies(fault: FaultKind, event: SensorEvent): boolean {
  if (fault !== 'unknown-zone') return true;
  return (
    event.kind === 'gsm' || event.kind === 'search' || (event.kind === 'roster' && event.cellId !== undefined)
  );
}

const REQUIRED_FIELD: Record<SensorEvent['kind'], string> = {
  drone: 'phase',
  gsm: 'rssiDbm',
  search: 'findings',
  roster: 'action',
  heartbeat: 'status',
};

type Body = Record<string, unknown>;

/** Each way of breaking the schema that leaves the envelope readable enough to name the event. */
const SCHEMA_BREAKS: readonly ((body: Body, event: SensorEvent) => void)[] = [
  (body) => (body.v = 2),
  // Local time without a zone: a classic gateway bug.
  (body, event) => (body.observedAt = event.observedAt.replace('T', ' ').replace('Z', '')),
  (body, event) => delete body[REQUIRED_FIELD[event.kind]],
  (body) => (body.seq = -1),
];

/**
 * Turns a valid event into the faulty message a broken gateway would send. Pure: the result depends only on
 * the event and the random draws. Timing faults (duplicate, late, reorder, silence) leave the message as it is;
 * fault-stream.ts applies them.
 */
export function applyFault(fault: MessageFault, event: SensorEvent, rng: Rng): OutMessage {
  const valid = toMessage(event);
  const body = structuredClone(event) as Body;
  switch (fault) {
    case 'json': {
      const text = JSON.stringify(event);
      const variants = [
        () => new TextEncoder().encode(text.slice(0, rng.int(1, text.length - 1))),
        () => new TextEncoder().encode(`${text}}{`),
        // Not UTF-8 at all: a gateway writing Latin-1.
        () => Uint8Array.from([...new TextEncoder().encode(text.slice(0, -2)), 0xff, 0xfe, 0x7d]),
      ];
      return { ...valid, data: rng.pick(variants)() };
    }
    case 'schema':
      rng.pick(SCHEMA_BREAKS)(body, event);
      return { ...valid, data: encodeJson(body) };
    case 'subject': {
      // The body names one sensor, the subject another (a copy-paste error in a gateway's config).
      const sensorId = `${event.sensorId.slice(0, 58)}-x${rng.int(0, 9)}`;
      return { ...valid, subject: sensorSubject({ ...event, sensorId }) };
    }
    case 'unknown-sensor': {
      const sensorId = `ghost-${rng.base32(6).toLowerCase()}`;
      body.sensorId = sensorId;
      return { ...valid, subject: sensorSubject({ ...event, sensorId }), data: encodeJson(body) };
    }
    case 'unknown-zone': {
      const unknown = `zz-${rng.base32(4).toLowerCase()}`;
      if (event.kind === 'gsm') body.zoneId = unknown;
      else if (event.kind === 'search') body.cellIds = [...event.cellIds, unknown];
      else if (event.kind === 'roster') body.cellId = unknown;
      else throw new Error(`a ${event.kind} event names no zone or cell`);
      return { ...valid, data: encodeJson(body) };
    }
    case 'skew-ahead':
      body.observedAt = new Date(
        Date.parse(event.observedAt) + rng.uniform(10, 120) * MINUTE_MS,
      ).toISOString();
      return { ...valid, data: encodeJson(body) };
    case 'skew-behind':
      body.observedAt = new Date(Date.parse(event.observedAt) - rng.uniform(8, 30) * DAY_MS).toISOString();
      return { ...valid, data: encodeJson(body) };
    case 'oversize':
      // Unknown fields are allowed by the schema, so only the size is wrong.
      body.padding = 'x'.repeat(MAX_EVENT_BYTES + rng.int(1, 8192));
      return { ...valid, data: encodeJson(body) };
  }
}
