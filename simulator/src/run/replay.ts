import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { NatsConnection } from '@nats-io/transport-node';
import { Instant, ObservedAt } from '@wachtpost/contracts';
import { fileError } from '../file-errors';
import { decodeRecordLine, RecordingError, type RecordedMessage } from '../messages/recording';
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

/** Bad lines a failed check names; the rest it counts. */
const SHOWN_BAD_LINES = 5;

/**
 * Reads and checks a whole recording, so that a bad one sends nothing rather than part of itself: fails with
 * `FILE:LINE: reason` for the first bad lines. Lines are decoded as they are read; only messages are kept.
 */
export async function loadRecording(file: string): Promise<RecordedMessage[]> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const messages: RecordedMessage[] = [];
  const shown: string[] = [];
  let bad = 0;
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      try {
        const message = decodeRecordLine(line, lineNo);
        // Once the file is known bad, its messages are of no use: only keep reading to count.
        if (bad === 0) messages.push(message);
      } catch (err) {
        if (!(err instanceof RecordingError)) throw err;
        if (++bad <= SHOWN_BAD_LINES) shown.push(`${file}:${err.line}: ${err.reason}`);
      }
    }
  } catch (err) {
    throw fileError('read', 'recording', file, err);
  }
  if (bad > 0) {
    if (bad > SHOWN_BAD_LINES) shown.push(`and ${bad - SHOWN_BAD_LINES} more`);
    throw new Error(
      `${shown.join('\n')}\n${file} has ${bad} bad line${bad === 1 ? '' : 's'}: nothing was sent`,
    );
  }
  return messages;
}

/** The instants restamping moves, each with the contract's rule for it. */
const INSTANT_FIELDS = { observedAt: ObservedAt, startedAt: Instant, endedAt: Instant, effectiveAt: Instant };
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
  for (const [field, rule] of Object.entries(INSTANT_FIELDS)) {
    const value = record[field];
    // Only instants the contract accepts: rewriting a broken one (a local time without a zone, say) in ISO form
    // would turn a recorded schema fault into a valid event.
    if (typeof value === 'string' && rule.safeParse(value).success) {
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

/** Sends a recording again with its recorded relative timing, `speed` times as fast; checks it all first. */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const recording = await loadRecording(options.file);
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
  for (const message of recording) {
    if (options.signal?.aborted) break;
    first ??= message.receivedAt;
    last = message.receivedAt;
    pacer ??= new Pacer(clock, message.receivedAt, realStart, options.speed ?? 1);
    await pacer.until(message.receivedAt, options.signal);
    let { data, msgId } = message;
    if (options.restamp) {
      // Each message as if observed when it is sent: shifted by its own send time, which --speed compresses.
      // One shift for the whole file would stamp a fast replay's later messages ahead of the clock (rejected).
      const sendAt = realStart + (message.receivedAt - first) / (options.speed ?? 1);
      const restamped = restampBody(data, Math.round(sendAt - message.receivedAt), tag);
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
