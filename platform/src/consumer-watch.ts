import { jetstreamManager, type ConsumerMessages } from '@nats-io/jetstream';
import { isJetStreamNotFound } from './jetstream-setup';
import type { Logger } from './logger';
import type { NatsConnection } from './nats';

/** What nats.js reports when a pull consumer, or its stream, no longer exists on the server. */
const GONE = new Set(['consumer_deleted', 'consumer_not_found', 'stream_not_found']);

export interface ConsumerWatchOptions {
  nc: NatsConnection;
  stream: string;
  consumer: string;
  log: Logger;
  /**
   * The worker keeps state keyed by stream sequence (the detectors): if the stream itself was recreated,
   * sequences start again at 1, and only a restart, which sees the stream behind its state, starts it afresh.
   * Needs the right to read the stream's info, which ingest workers do not have.
   */
  sequencesMatter?: boolean;
  /** Called when a consumer that was gone exists again. */
  onBack?: () => void;
  /**
   * Called once when the stream turns out created anew, where sequences matter: the owner starts the worker
   * again on the new stream. Without it the worker stays not ready until its process is restarted.
   */
  onRecreated?: () => void;
}

/** How often a gone consumer is looked for. */
const LOOK_AGAIN_MS = 2000;
/** How often readiness asks the server whether the consumer still exists. */
const VERIFY_EVERY_MS = 5000;

/**
 * Notices a worker's durable consumer disappearing: deleted by hand, or a NATS server that came back without its
 * store. Without this the worker would wait in silence; with it, it says so in the log and in readiness, looks
 * for the consumer every 2 s, and calls `onBack` when it exists again (the worker then consumes afresh rather
 * than wait for nats.js to notice, 30 s and more). Workers never create consumers themselves (in a deployment
 * they are not allowed to): the migrate step does. When the stream itself was recreated, a worker whose state is
 * keyed by stream sequence is not ready until it is started again (`onRecreated`).
 */
export class ConsumerWatch {
  private gone: string | undefined;
  /** The stream's creation time when the worker started following it. */
  private streamCreated: string | undefined;
  private recreated: string | undefined;
  private lookAgain: NodeJS.Timeout | undefined;
  private stopped = false;
  private verifiedAt = 0;

  constructor(private readonly options: ConsumerWatchOptions) {}

  /** Follows the status of one `consume()`; call again for each new one. */
  async follow(messages: ConsumerMessages): Promise<void> {
    const { nc, stream, sequencesMatter } = this.options;
    if (sequencesMatter)
      this.streamCreated ??= (await (await jetstreamManager(nc)).streams.info(stream)).created;
    void (async () => {
      for await (const status of messages.status()) {
        if (GONE.has(status.type)) this.markGone(status.type);
      }
    })();
  }

  /**
   * Rejects while the consumer is gone, or for good once its stream was recreated where sequences matter.
   * nats.js reports a deletion only to a pull that is waiting at the server, so now and then this asks the
   * server itself (at most every 5 s, when readiness is probed).
   */
  async check(): Promise<void> {
    if (!this.recreated && this.gone === undefined && Date.now() - this.verifiedAt >= VERIFY_EVERY_MS) {
      this.verifiedAt = Date.now();
      const found = await this.lookUp();
      if (!found) this.markGone('consumer_not_found');
      else this.sameStream(found);
    }
    const { stream, consumer } = this.options;
    if (this.recreated) throw new Error(this.recreated);
    if (this.gone !== undefined) {
      throw new Error(
        `JetStream consumer "${consumer}" on ${stream} is gone (${this.gone}): run the migrate step to recreate it`,
      );
    }
  }

  private markGone(why: string): void {
    if (this.gone !== undefined || this.stopped) return;
    const { stream, consumer, log } = this.options;
    this.gone = why;
    log.error(
      { stream, consumer, status: why },
      `JetStream consumer "${consumer}" on ${stream} is gone, so no events are being taken: ` +
        'recreate it with the migrate step (pnpm migrate; pnpm start does it by itself within seconds); ' +
        'the worker resumes by itself',
    );
    this.scheduleLook();
  }

  /** False, for good, once the stream turns out created anew since the worker started, where sequences matter. */
  private sameStream(found: { streamCreated?: string }): boolean {
    const { stream, consumer, log, sequencesMatter, onRecreated } = this.options;
    if (sequencesMatter && !this.recreated && found.streamCreated !== this.streamCreated) {
      // nats-server 2.9 also moves the creation time when it restarts after a stream update: the worker,
      // started again, checks its state against the stream's messages and goes on where it was if it is the same.
      this.recreated = onRecreated
        ? `the ${stream} stream was recreated (its sequences start again): the worker is starting again on the new stream`
        : `the ${stream} stream was recreated (its sequences start again): restart this worker to start from the new stream`;
      log[onRecreated ? 'warn' : 'error'](
        { stream, consumer, was: this.streamCreated, now: found.streamCreated },
        this.recreated,
      );
      onRecreated?.();
    }
    return !this.recreated;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.lookAgain);
  }

  private scheduleLook(): void {
    if (this.stopped) return;
    this.lookAgain = setTimeout(() => void this.look(), LOOK_AGAIN_MS);
    this.lookAgain.unref();
  }

  private async look(): Promise<void> {
    const { stream, consumer, log, onBack } = this.options;
    let found;
    try {
      found = await this.lookUp();
    } catch (err) {
      log.debug({ err }, 'looking for the consumer failed');
    }
    if (!found) return this.scheduleLook();
    if (!this.sameStream(found)) return;
    this.gone = undefined;
    log.info({ stream, consumer }, `JetStream consumer "${consumer}" is back`);
    onBack?.();
  }

  /** Undefined when the consumer (or its stream) is missing; with the stream's creation time if it matters. */
  private async lookUp(): Promise<{ streamCreated?: string } | undefined> {
    const { nc, stream, consumer, sequencesMatter } = this.options;
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.consumers.info(stream, consumer);
      return sequencesMatter ? { streamCreated: (await jsm.streams.info(stream)).created } : {};
    } catch (err) {
      if (isJetStreamNotFound(err)) return undefined;
      throw err;
    }
  }
}
