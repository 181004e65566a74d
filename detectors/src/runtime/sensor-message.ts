import type { JsMsg, StoredMsg } from '@nats-io/jetstream';

/**
 * One message of the SENSORS stream as the correlator sees it, whether it came through the durable consumer
 * or was read back from the stream after a restart: both give the same fields, so a replay feeds the engine
 * exactly what the first run fed it.
 */
export interface SensorMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  /** When the stream stored it (epoch ms): the clock the contract's `clock` check is judged against. */
  storedAtMs: number;
}

export const fromJsMsg = (m: JsMsg): SensorMessage => ({
  seq: m.seq,
  subject: m.subject,
  data: m.data,
  // The exact bigint, not info.timestampNanos (a float that can round into the next millisecond), so it
  // equals what Date.parse makes of the stored message's RFC 3339 time on a replay.
  storedAtMs: Number(m.timestampNanos / 1_000_000n),
});

export const fromStoredMsg = (m: StoredMsg): SensorMessage => ({
  seq: m.seq,
  subject: m.subject,
  data: m.data,
  storedAtMs: m.time.getTime(),
});
