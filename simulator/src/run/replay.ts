import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeRecordLine, type RecordedMessage } from '../messages/recording';
import { createPublisher, type PublishStats } from '../nats/publisher';
import { Rng } from '../rng';
import { Pacer, systemClock, type Clock } from './pacer';
import { kindOfSubject } from './traffic';

export interface ReplayOptions {
  nc: NatsConnection;
  file: string;
  /** How much faster than recorded; 2 halves every gap. */
  speed?: number;
  /** Move the events' instants to now and give them fresh eventIds, so a recording can be sent again. */
  restamp?: boolean;
  core?: boolean;
  window?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface ReplaySummary extends PublishStats {
  command: 'replay';
  file: string;
  byKind: Record<string, number>;
  recordedSeconds: number;
  elapsedS: number;
}

async function* readRecording(file: string): AsyncGenerator<RecordedMessage> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() !== '') yield decodeRecordLine(line, lineNo);
  }
}

const INSTANT_FIELDS = ['observedAt', 'startedAt', 'endedAt', 'effectiveAt'] as const;
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Shifts a recorded body's instants by `deltaMs` and prefixes its eventId with this replay's tag. Bodies that
 * are not JSON objects (recorded faults) go out untouched, byte for byte.
 */
export function restampBody(
  data: Uint8Array,
  deltaMs: number,
  tag: string,
): { data: Uint8Array; eventId?: string } {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch {
    return { data };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { data };
  const record = body as Record<string, unknown>;
  for (const field of INSTANT_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
      record[field] = new Date(Date.parse(value) + deltaMs).toISOString();
    }
  }
  if (typeof record.eventId === 'string' && EVENT_ID.test(record.eventId)) {
    record.eventId = `${tag}-${record.eventId}`.slice(0, 64);
  }
  return {
    data: new TextEncoder().encode(JSON.stringify(record)),
    ...(typeof record.eventId === 'string' && { eventId: record.eventId }),
  };
}

/** Sends a recording again with its recorded relative timing, `speed` times as fast. */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const clock = options.clock ?? systemClock;
  const publisher = createPublisher(options.nc, {
    ...(options.core !== undefined && { core: options.core }),
    ...(options.window !== undefined && { window: options.window }),
  });
  const tag = `r${Rng.create(clock.now(), 'replay').base32(5)}`;
  const byKind: Record<string, number> = {};
  const realStart = clock.now();
  let pacer: Pacer | undefined;
  let first: number | undefined;
  let last: number | undefined;
  for await (const message of readRecording(options.file)) {
    if (options.signal?.aborted) break;
    first ??= message.receivedAt;
    last = message.receivedAt;
    pacer ??= new Pacer(clock, message.receivedAt, realStart, options.speed ?? 1);
    await pacer.until(message.receivedAt, options.signal);
    let { data, msgId } = message;
    if (options.restamp) {
      const restamped = restampBody(data, realStart - first, tag);
      data = restamped.data;
      msgId = restamped.eventId ?? (msgId === undefined ? undefined : `${tag}-${msgId}`.slice(0, 64));
    }
    await publisher.publish({ subject: message.subject, data, ...(msgId !== undefined && { msgId }) });
    const kind = kindOfSubject(message.subject);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const stats = await publisher.flush();
  return {
    command: 'replay',
    file: options.file,
    ...stats,
    byKind,
    recordedSeconds: first === undefined || last === undefined ? 0 : (last - first) / 1000,
    elapsedS: (clock.now() - realStart) / 1000,
  };
}
