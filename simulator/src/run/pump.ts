import type { FaultStream } from '../messages/fault-stream';
import type { Publisher } from '../nats/publisher';
import type { Pacer } from './pacer';
import { kindOfSubject } from './traffic';

export interface PumpOptions {
  publisher: Publisher;
  pacer: Pacer;
  signal: AbortSignal;
  /** The run ends here (simulated): stop at the first message due at or after it, without waiting for it. */
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
  /** Delayed copies (late, duplicate, reorder faults) that were due after the run ended, so never sent. */
  droppedAfterEnd: number;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Publishes messages as their simulated time comes due, until the stream, the end, the limit or the signal
 * ends it. Whatever ends it, copies the fault stream still holds back are counted as dropped, not awaited.
 */
export async function pump(messages: FaultStream, options: PumpOptions): Promise<PumpResult> {
  const { publisher, pacer, signal } = options;
  const result: PumpResult = { published: 0, byKind: {}, byFault: {}, droppedAfterEnd: 0 };
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
  result.droppedAfterEnd = messages.held;
  return result;
}
