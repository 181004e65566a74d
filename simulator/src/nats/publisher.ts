import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { OutMessage } from '../messages/message';

export interface PublishStats {
  /** Messages handed to NATS. */
  published: number;
  /** JetStream acknowledgements (JetStream mode only). */
  acked: number;
  /** Acknowledgements that JetStream marked as duplicates of an earlier Nats-Msg-Id. */
  duplicates: number;
  errors: number;
  firstError?: string;
}

export interface PublisherOptions {
  /** Plain core-NATS publish instead of acknowledged JetStream publish. */
  core?: boolean;
  /** Most JetStream publishes awaiting their ack at once; core mode flushes this often. */
  window?: number;
}

export interface Publisher {
  readonly stats: PublishStats;
  /** Resolves once the message is on its way and there is room for the next one. */
  publish(message: OutMessage): Promise<void>;
  /** Waits for every outstanding acknowledgement. */
  flush(): Promise<PublishStats>;
}

/**
 * Publishes with a bounded window of outstanding JetStream publishes: fast like fire-and-forget, but never
 * more in flight than the server can acknowledge. Always sets Nats-Msg-Id, so JetStream drops repeats.
 */
export function createPublisher(nc: NatsConnection, options: PublisherOptions = {}): Publisher {
  const window = Math.max(1, options.window ?? 256);
  const stats: PublishStats = { published: 0, acked: 0, duplicates: 0, errors: 0 };
  const fail = (err: unknown) => {
    stats.errors++;
    stats.firstError ??= err instanceof Error ? err.message : String(err);
  };

  if (options.core) {
    return {
      stats,
      async publish({ subject, data, msgId }) {
        const h = headers();
        if (msgId !== undefined) h.set('Nats-Msg-Id', msgId);
        try {
          nc.publish(subject, data, { headers: h });
          stats.published++;
        } catch (err) {
          fail(err);
        }
        // A flush now and then keeps a fast producer from piling up an unbounded outbound buffer.
        if (stats.published % window === 0) await nc.flush();
      },
      async flush() {
        await nc.flush();
        return stats;
      },
    };
  }

  const js = jetstream(nc);
  let inflight = 0;
  const waiters: (() => void)[] = [];
  const release = () => {
    inflight--;
    waiters.shift()?.();
  };
  return {
    stats,
    async publish({ subject, data, msgId }) {
      while (inflight >= window) await new Promise<void>((resolve) => waiters.push(resolve));
      inflight++;
      stats.published++;
      void js
        .publish(subject, data, msgId === undefined ? undefined : { msgID: msgId })
        .then((ack) => {
          stats.acked++;
          if (ack.duplicate) stats.duplicates++;
        }, fail)
        .finally(release);
    },
    async flush() {
      while (inflight > 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return stats;
    },
  };
}
