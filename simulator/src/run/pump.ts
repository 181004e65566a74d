import type { TimedMessage } from '../messages/message';
import type { Publisher } from '../nats/publisher';
import type { Pacer } from './pacer';
import { kindOfSubject } from './traffic';

export interface PumpOptions {
  publisher: Publisher;
  pacer: Pacer;
  signal: AbortSignal;
  /** Stop before the first message due after this simulated instant. */
  untilSim?: number;
  /** Stop after this many messages. */
  maxMessages?: number;
}

export interface PumpResult {
  published: number;
  byKind: Record<string, number>;
  byFault: Record<string, number>;
  /** Simulated instant of the last message sent. */
  lastAt?: number;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Publishes messages as their simulated time comes due, until the stream, the limit or the signal ends it. */
export async function pump(messages: Iterable<TimedMessage>, options: PumpOptions): Promise<PumpResult> {
  const { publisher, pacer, signal } = options;
  const result: PumpResult = { published: 0, byKind: {}, byFault: {} };
  for (const message of messages) {
    if (signal.aborted) break;
    if (options.untilSim !== undefined && message.at >= options.untilSim) break;
    if (options.maxMessages !== undefined && result.published >= options.maxMessages) break;
    await pacer.until(message.at, signal);
    if (signal.aborted) break;
    await publisher.publish(message);
    result.published++;
    result.lastAt = message.at;
    const kind = kindOfSubject(message.subject);
    result.byKind[kind] = (result.byKind[kind] ?? 0) + 1;
    if (message.fault) result.byFault[message.fault] = (result.byFault[message.fault] ?? 0) + 1;
    // Never starve socket I/O (acks, pings) when messages are due faster than we can send them.
    if (result.published % 1000 === 0) await yieldToIo();
  }
  return result;
}
