import {
  DeliverPolicy,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StreamInfo,
} from '@nats-io/jetstream';
import { Alert, ALERTS_STREAM } from '@wachtpost/contracts';
import { isJetStreamNotFound, type Logger } from '@wachtpost/platform';
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

/** How often the feed compares itself with the stream. */
const CHECK_EVERY_MS = 5000;

/**
 * This server's own reader of ALERTS: an ordered consumer (ephemeral, no queue group, so every console server
 * sees every change) starting after the stream's last message at start-up. `headSeq` is the last sequence
 * handed to the listener: replays for resuming clients read the stream up to it.
 *
 * Every few seconds it compares itself with the stream, because a control room must never watch a feed that
 * quietly stopped: when the stream is gone it says so (`problem`, in readiness and the log); when it was
 * recreated (a NATS server back without its store: sequences start again) it follows the new stream and calls
 * `onRestart` so live clients reload; when it lags a stream that has moved on and it has not, it reopens.
 */
export class AlertFeed {
  headSeq = 0;
  /** Why the live feed is not following ALERTS right now; undefined while it is. */
  problem: string | undefined;
  private stopped = false;
  private iterator: { stop(): void } | undefined;
  private done: Promise<void> | undefined;
  /** The stream's creation time when the feed opened: another one means the stream was recreated. */
  private created: string | undefined;
  /** The feed's head at the last check while it lagged the stream; undefined when it did not lag. */
  private laggingAt: number | undefined;
  private checker: NodeJS.Timeout | undefined;
  private checking = false;
  private jsm: JetStreamManager | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly log: Logger,
    private readonly onEntry: (entry: FeedEntry) => void,
    private readonly onRestart: (headSeq: number) => void,
  ) {}

  async start(): Promise<void> {
    this.jsm = await jetstreamManager(this.nc);
    await this.open(await this.jsm.streams.info(ALERTS_STREAM));
    this.checker = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.checker.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.checker);
    await this.close();
  }

  /** Follows the stream from after its last message, or from `fromSeq` when given. */
  private async open(info: StreamInfo, fromSeq?: number): Promise<void> {
    this.created = info.created;
    if (fromSeq === undefined) this.headSeq = info.state.last_seq;
    const consumer = await this.js.consumers.get(ALERTS_STREAM, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: (fromSeq ?? this.headSeq) + 1,
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

  private async close(): Promise<void> {
    this.iterator?.stop();
    await this.done;
  }

  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      const info = await this.jsm!.streams.info(ALERTS_STREAM).catch((err: unknown) => {
        if (isJetStreamNotFound(err)) return undefined;
        throw err;
      });
      if (!info) {
        this.report('the ALERTS stream is gone: recreate it with the migrate step (pnpm migrate)');
      } else if (info.created !== this.created) {
        this.log.warn(
          { was: this.created, now: info.created, lastSeq: info.state.last_seq },
          'ALERTS was recreated: following the new stream; live clients reload their alerts',
        );
        await this.close();
        await this.open(info);
        this.laggingAt = undefined;
        this.report(undefined);
        this.onRestart(this.headSeq);
      } else if (info.state.last_seq > this.headSeq) {
        // Behind the stream twice in a row without moving: the consumer is stuck (say, after a NATS restart,
        // nats.js waits for missed heartbeats); reopen it from where it is.
        if (this.laggingAt === this.headSeq) {
          this.log.warn(
            { headSeq: this.headSeq, lastSeq: info.state.last_seq },
            'ALERTS feed stalled; reopening',
          );
          await this.close();
          await this.open(info, this.headSeq);
          this.laggingAt = undefined;
        } else {
          this.laggingAt = this.headSeq;
        }
        this.report(undefined);
      } else {
        this.laggingAt = undefined;
        this.report(undefined);
      }
    } catch (err) {
      // NATS away: the runtime's own readiness check reports that; the next check tries again.
      this.log.debug({ err }, 'ALERTS check failed');
    } finally {
      this.checking = false;
    }
  }

  private report(problem: string | undefined): void {
    if (problem && problem !== this.problem) this.log.error(problem);
    else if (!problem && this.problem) this.log.info('ALERTS feed following the stream again');
    this.problem = problem;
  }
}
