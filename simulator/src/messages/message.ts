import { sensorSubject, type SensorEvent } from '@wachtpost/contracts';

/** What goes on the wire: a subject, the raw body and the Nats-Msg-Id header. */
export interface OutMessage {
  subject: string;
  data: Uint8Array;
  /** Sent as Nats-Msg-Id; the eventId for everything the simulator sends. */
  msgId?: string;
}

/** A message with the simulated instant at which it is due to be published. */
export interface TimedMessage extends OutMessage {
  at: number;
  /** The fault this message carries, if any. */
  fault?: string;
}

const encoder = new TextEncoder();

export function encodeJson(body: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(body));
}

/** The message a well-behaved gateway sends for an event. */
export function toMessage(event: SensorEvent): OutMessage {
  return { subject: sensorSubject(event), data: encodeJson(event), msgId: event.eventId };
}

export function toTimedMessage(event: SensorEvent): TimedMessage {
  return { ...toMessage(event), at: Date.parse(event.observedAt) };
}
