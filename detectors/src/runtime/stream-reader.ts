import type { JetStreamManager } from '@nats-io/jetstream';
import { fromStoredMsg, type SensorMessage } from './sensor-message';
import { subjectMatches } from './subject-filter';

export interface StreamRange {
  stream: string;
  from: number;
  to: number;
  /** The consumer's filter subject, when it has one: messages outside it are not the correlator's. */
  filter?: string;
  /** Requests in flight at once; one at a time would make a long replay take minutes. */
  window?: number;
}

/**
 * Reads stream sequences [from, to] in order, straight from the stream (not through the durable consumer):
 * the messages a crashed worker had received, or acknowledged without a snapshot covering them. Sequences the
 * stream no longer holds (aged out, deleted) are skipped.
 */
export async function* readStream(jsm: JetStreamManager, range: StreamRange): AsyncGenerator<SensorMessage> {
  const window = range.window ?? 128;
  for (let start = range.from; start <= range.to; start += window) {
    const end = Math.min(range.to, start + window - 1);
    const batch = await Promise.all(
      Array.from({ length: end - start + 1 }, (_, i) =>
        jsm.streams.getMessage(range.stream, { seq: start + i }),
      ),
    );
    for (const stored of batch) {
      if (!stored) continue;
      if (range.filter && !subjectMatches(range.filter, stored.subject)) continue;
      yield fromStoredMsg(stored);
    }
  }
}
