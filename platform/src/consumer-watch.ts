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
}

/** How often a gone consumer is looked for. */
const LOOK_AGAIN_MS = 2000;

/**
 * Notices a worker's durable consumer disappearing: deleted by hand, or a NATS server that came back without its
 * store. Without this the worker would wait in silence; with it, it says so in the log and in readiness, looks
 * for the consumer every 2 s, and calls `onBack` when it exists again (the worker then consumes afresh rather
 * than wait for nats.js to notice, 30 s and more). Workers never create consumers themselves (in a deployment
 * they are not allowed to): the migrate step does. When the stream itself was recreated, a worker whose state is
 * keyed by stream sequence stays not ready until it is restarted.
 */
export class ConsumerWatch {
  private gone: string | undefined;
  /** The stream's creation time when the worker started following it. */
  private streamCreated: string | undefined;
  private recreated: string | undefined;
  private lookAgain: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ConsumerWatchOptions) {}

  /** Follows the status of one `consume()`; call again for each new one. */
  async follow(messages: ConsumerMessages): Promise<void> {
    const { nc, stream, consumer, log, sequencesMatter } = this.options;
    if (sequencesMatter)
      this.streamCreated ??= (await (await jetstreamManager(nc)).streams.info(stream)).created;
    void (async () => {
      for await (const status of messages.status()) {
        if (!GONE.has(status.type) || this.gone !== undefined || this.stopped) continue;
        this.gone = status.type;
        log.error(
          { stream, consumer, status: status.type },
          `JetStream consumer "${consumer}" on ${stream} is gone, so no events are being taken: ` +
            'recreate it with the migrate step (pnpm migrate, or restart pnpm start); the worker resumes by itself',
        );
        this.scheduleLook();
      }
    })();
  }

  /** Rejects while the consumer is gone, or for good once its stream was recreated where sequences matter. */
  check(): Promise<void> {
    const { stream, consumer } = this.options;
    if (this.recreated) return Promise.reject(new Error(this.recreated));
    if (this.gone === undefined) return Promise.resolve();
    return Promise.reject(
      new Error(
        `JetStream consumer "${consumer}" on ${stream} is gone (${this.gone}): run the migrate step to recreate it`,
      ),
    );
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
    const { stream, consumer, log, sequencesMatter, onBack } = this.options;
    let found;
    try {
      found = await this.lookUp();
    } catch (err) {
      log.debug({ err }, 'looking for the consumer failed');
    }
    if (!found) return this.scheduleLook();
    if (sequencesMatter && found.streamCreated !== this.streamCreated) {
      this.recreated = `the ${stream} stream was recreated (its sequences start again): restart this worker to start from the new stream`;
      log.error({ stream, consumer, was: this.streamCreated, now: found.streamCreated }, this.recreated);
      return;
    }
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
