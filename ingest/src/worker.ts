import { jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { INGEST_CONSUMER, SENSORS_STREAM, type SiteIndex } from '@wachtpost/contracts';
import {
  ConsumerWatch,
  type Logger,
  type NatsConnection,
  type Pool,
  type Registry,
} from '@wachtpost/platform';
import { ingestMetrics } from './metrics';
import { prepareBatch, type AcceptedRow } from './prepare';
import { storeBatch } from './store-batch';
import { insertRows } from './writer';

export interface IngestWorkerOptions {
  nc: NatsConnection;
  pool: Pool;
  sites: ReadonlyMap<string, SiteIndex>;
  registry: Registry;
  log: Logger;
  batchSize: number;
  batchWaitMs: number;
  /** Batches written concurrently; more than one keeps the database busy while the next batch fills. */
  maxInFlight: number;
  retentionMs: number;
  /** The consumer's ack wait; a retrying worker says `working()` well inside it. */
  ackWaitMs: number;
  stream?: string;
  consumer?: string;
  /** Called after each commit with the rows it stored and the commit time (benchmarks measure lag with it). */
  onCommitted?: (rows: AcceptedRow[], committedAt: number) => void;
}

/**
 * One ingest worker on the shared durable pull consumer: fills batches by size or time, validates them, writes
 * each in one statement and acknowledges its messages only after the commit. Several workers (threads of this
 * process or other processes) can share the consumer: JetStream hands each message to one of them, and the
 * eventId key makes a redelivery a counted duplicate, never a second row.
 */
export class IngestWorker {
  private messages: ConsumerMessages | undefined;
  private pending: JsMsg[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private readonly metrics;
  private lastError: string | undefined;
  private readonly stream: string;
  private readonly consumerName: string;
  private readonly watch: ConsumerWatch;
  private stopping = false;

  constructor(private readonly options: IngestWorkerOptions) {
    this.metrics = ingestMetrics(options.registry);
    this.stream = options.stream ?? SENSORS_STREAM;
    this.consumerName = options.consumer ?? INGEST_CONSUMER;
    this.watch = new ConsumerWatch({
      nc: options.nc,
      log: options.log,
      stream: this.stream,
      consumer: this.consumerName,
      onBack: () => void this.consumeAgain(),
    });
  }

  async start(): Promise<void> {
    const consumer = await jetstream(this.options.nc).consumers.get(this.stream, this.consumerName);
    // A callback, not the async iterator: the iterator costs a promise turn per message, and each ack sent from
    // its own turn is its own socket write; measured, consume+ack alone ran at half the rate.
    this.messages = await consumer.consume({
      max_messages: this.options.batchSize * (this.options.maxInFlight + 1),
      callback: (msg) => this.receive(msg),
    });
    await this.watch.follow(this.messages);
  }

  /** The consumer was recreated: take messages from it now. What the old one handed out is written as usual. */
  private async consumeAgain(): Promise<void> {
    await this.messages?.close();
    if (this.stopping) return;
    await this.start().catch((err: unknown) => this.options.log.error({ err }, 'consuming again failed'));
    // stop() came while the new consume was being set up: it closed the old one only.
    if (this.stopping) await this.messages?.close();
  }

  /** Throws while the last batch write failed (the database is away and batches are being retried). */
  ready(): Promise<void> {
    if (!this.messages) return Promise.reject(new Error('not consuming'));
    if (this.lastError) return Promise.reject(new Error(`writes failing: ${this.lastError}`));
    return this.watch.check();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.watch.stop();
    await this.messages?.close();
    for (;;) {
      this.dispatch();
      if (this.inFlight.size === 0) return;
      await Promise.race(this.inFlight);
    }
  }

  /** Must not throw: nats.js stops the consumer when its callback does. */
  private receive(msg: JsMsg): void {
    this.pending.push(msg);
    if (this.pending.length >= this.options.batchSize) this.dispatch();
    else this.timer ??= setTimeout(() => this.dispatch(), this.options.batchWaitMs);
  }

  /**
   * Hands pending messages to free writers, a batch at a time. What no writer can take yet waits for the next
   * one to finish: JetStream's ack-pending limit bounds how much can wait (backpressure).
   */
  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const { batchSize, maxInFlight } = this.options;
    while (this.pending.length > 0 && this.inFlight.size < maxInFlight) {
      const batch = this.pending.length <= batchSize ? this.pending : this.pending.slice(0, batchSize);
      this.pending = batch === this.pending ? [] : this.pending.slice(batchSize);
      const write = this.write(batch).finally(() => {
        this.inFlight.delete(write);
        // Left over when every writer was busy: due now (full, or its wait ran out while it waited).
        if (this.pending.length >= batchSize || (this.pending.length > 0 && !this.timer)) this.dispatch();
      });
      this.inFlight.add(write);
    }
  }

  private async write(batch: JsMsg[]): Promise<void> {
    const { pool, log, sites, retentionMs } = this.options;
    const prepared = prepareBatch(
      batch.map((m) => ({ subject: m.subject, data: m.data, streamSeq: m.seq })),
      { sites, now: Date.now(), retentionMs },
    );
    let lastWorking = Date.now();
    const outcome = await storeBatch(prepared, (accepted, rejected) => insertRows(pool, accepted, rejected), {
      onRetry: (err, attempt, delayMs) => {
        this.lastError = (err as Error).message;
        this.metrics.retries.inc();
        log.warn(
          { err: (err as Error).message, attempt, delayMs, batch: batch.length },
          'batch write failed; retrying',
        );
        // Keep the messages ours while we wait, instead of letting JetStream redeliver them elsewhere.
        if (Date.now() - lastWorking > this.options.ackWaitMs / 3) {
          for (const m of batch) m.working();
          lastWorking = Date.now();
        }
      },
    });
    const committedAt = Date.now();
    if (this.lastError) log.info('database writes succeed again');
    this.lastError = undefined;
    for (const m of batch) m.ack();

    const { events, lag, batchSize } = this.metrics;
    batchSize.observe(batch.length);
    if (outcome.stored.length) events.inc({ result: 'accepted' }, outcome.stored.length);
    if (outcome.duplicates) events.inc({ result: 'duplicate' }, outcome.duplicates);
    for (const [reason, n] of outcome.rejectedByReason) events.inc({ result: 'rejected', reason }, n);
    for (const row of outcome.stored) lag.observe((committedAt - Date.parse(row.event.observedAt)) / 1000);
    this.options.onCommitted?.(outcome.stored, committedAt);
  }
}
