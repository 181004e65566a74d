import { DeliverPolicy, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { Alert, ALERTS_STREAM } from '@wachtpost/contracts';
import type { Logger } from '@wachtpost/platform';
import { ASSIGNEE_HEADER, ACTION_HEADER, ACTOR_HEADER } from '../alerts/alert-actions';
import type { NatsConnection } from '@nats-io/transport-node';

/** One change from ALERTS: the contract Alert, its stream sequence, and console fields from the headers. */
export interface FeedEntry {
  seq: number;
  alert: Alert;
  assignee?: string;
  action?: { action: string; actor: string };
}

/** Decodes a stream message; undefined (and a warning) for one that is not a contract Alert. */
export function decodeEntry(m: JsMsg, log: Logger): FeedEntry | undefined {
  let parsed;
  try {
    parsed = Alert.safeParse(m.json());
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    log.warn({ seq: m.seq, subject: m.subject }, 'skipping an ALERTS message that is not a contract Alert');
    return undefined;
  }
  const action = m.headers?.get(ACTION_HEADER);
  const assignee = m.headers?.get(ASSIGNEE_HEADER);
  return {
    seq: m.seq,
    alert: parsed.data,
    ...(assignee && { assignee }),
    ...(action && { action: { action, actor: m.headers?.get(ACTOR_HEADER) ?? '' } }),
  };
}

/**
 * This server's own reader of ALERTS: an ordered consumer (ephemeral, no queue group, so every console server
 * sees every change) starting after the stream's last message at start-up. `headSeq` is the last sequence
 * handed to the listener: replays for resuming clients read the stream up to it.
 */
export class AlertFeed {
  headSeq = 0;
  private stopped = false;
  private iterator: { stop(): void } | undefined;
  private done: Promise<void> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly log: Logger,
    private readonly onEntry: (entry: FeedEntry) => void,
  ) {}

  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const info = await jsm.streams.info(ALERTS_STREAM);
    this.headSeq = info.state.last_seq;
    const consumer = await this.js.consumers.get(ALERTS_STREAM, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.headSeq + 1,
    });
    const messages = await consumer.consume({ max_messages: 1000 });
    this.iterator = messages;
    this.done = (async () => {
      for await (const m of messages) {
        this.headSeq = m.seq;
        const entry = decodeEntry(m, this.log);
        if (entry) this.onEntry(entry);
      }
    })().catch((err: unknown) => {
      if (!this.stopped) this.log.error({ err }, 'ALERTS feed ended');
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.iterator?.stop();
    await this.done;
  }
}
