import type { JetStreamClient } from '@nats-io/jetstream';
import type { OutboxRow } from './unit-of-work';

const encoder = new TextEncoder();

/**
 * Publishes committed revisions on ALERTS through JetStream, all in flight at once (one connection keeps
 * them in order). The message id `<alertId>:<rev>` makes the stream drop a second copy, so publishing the
 * same rows again after a failure or a crash is safe. Resolves when the stream has stored every one.
 */
export async function publishRevisions(js: JetStreamClient, rows: readonly OutboxRow[]): Promise<void> {
  await Promise.all(
    rows.map((row) =>
      js.publish(row.subject, encoder.encode(row.body), { msgID: `${row.alertId}:${row.rev}` }),
    ),
  );
}
