import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Alert, ALERTS_STREAM } from '@wachtpost/contracts';

export interface AlertWatch {
  /** Alert revisions seen so far. */
  readonly seen: number;
  stop(): Promise<void>;
}

/**
 * Reads the ALERTS stream of one site with an ordered consumer from `fromMs` on (so nothing published after
 * the run started is missed, however late the watch gets going), handing every contract Alert to `onAlert`.
 */
export async function watchAlerts(
  nc: NatsConnection,
  siteId: string,
  fromMs: number,
  onAlert: (alert: Alert) => void,
): Promise<AlertWatch> {
  const consumer = await jetstream(nc).consumers.get(ALERTS_STREAM, {
    filter_subjects: `alerts.v1.${siteId}.>`,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(fromMs).toISOString(),
  });
  const messages = await consumer.consume({ max_messages: 500 });
  let seen = 0;
  const done = (async () => {
    for await (const m of messages) {
      let parsed;
      try {
        parsed = Alert.safeParse(m.json());
      } catch {
        continue;
      }
      if (!parsed.success) continue;
      seen++;
      onAlert(parsed.data);
    }
  })();
  return {
    get seen() {
      return seen;
    },
    async stop() {
      messages.stop();
      await done.catch(() => undefined);
    },
  };
}
