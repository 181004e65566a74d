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
import { storeBatch, StoppedRetrying, type InsertFn } from './store-batch';
import { insertRows } from './writer';

const STALLED_HINT =
  "look for a lock or a long statement (SELECT pid, wait_event_type, now() - query_start AS waited, query FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle')";

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
  /**
   * A batch write that has neither committed nor failed for this long (a locked table, a server that stopped
   * answering) makes the worker not ready and is logged: it stops ingest as surely as an error. 30 s by default.
   */
  stalledAfterMs?: number;
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
  /** The batches being written. */
  private readonly writing = new Set<JsMsg[]>();
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly stopRetrying = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly metrics;
  private lastError: string | undefined;
  /** When each insert under way began (one per batch being written; none while a retry waits). */
  private readonly inserting = new Map<symbol, number>();
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
    // Read with the async iterator, not a callback: nats.js pulls more only as the loop below takes messages,
    // which is the worker's backpressure. With a callback it pulls regardless, up to the consumer's ack-pending
    // limit, piling up a stalled worker's memory and taking messages another worker could store.
    this.messages = await consumer.consume({
      max_messages: this.options.batchSize * (this.options.maxInFlight + 1),
    });
    await this.watch.follow(this.messages);
    this.loop = this.receive(this.messages);
  }

  /** The consumer was recreated: take messages from it now. What the old one handed out is written as usual. */
  private async consumeAgain(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    if (this.stopping) return;
    await this.start().catch((err: unknown) => this.options.log.error({ err }, 'consuming again failed'));
    // stop() came while the new consume was being set up: it closed the old one only.
    if (this.stopping) await this.messages?.close();
  }

  /** Throws while the last batch write failed (the database is away and batches are being retried). */
  ready(): Promise<void> {
    if (!this.messages) return Promise.reject(new Error('not consuming'));
    if (this.lastError) return Promise.reject(new Error(`writes failing: ${this.lastError}`));
    const oldest = Math.min(...this.inserting.values());
    if (Date.now() - oldest >= this.stalledAfterMs) {
      return Promise.reject(
        new Error(
          `a batch write has waited ${Math.round((Date.now() - oldest) / 1000)} s for the database: ${STALLED_HINT}`,
        ),
      );
    }
    return this.watch.check();
  }

  private get stalledAfterMs(): number {
    return this.options.stalledAfterMs ?? 30_000;
  }

  /** One insert, watched: past `stalledAfterMs` without an answer it is logged once, and its end too. */
  private async insertWatched<T>(insert: () => Promise<T>): Promise<T> {
    const began = Date.now();
    const key = Symbol('insert');
    this.inserting.set(key, began);
    let warned = false;
    const timer = setTimeout(() => {
      warned = true;
      this.options.log.warn(
        { stalledAfterMs: this.stalledAfterMs },
        `a batch write has waited ${Math.round(this.stalledAfterMs / 1000)} s for the database and still waits: ${STALLED_HINT}`,
      );
    }, this.stalledAfterMs);
    try {
      return await insert();
    } finally {
      clearTimeout(timer);
      this.inserting.delete(key);
      if (warned) {
        this.options.log.info(
          { waitedMs: Date.now() - began },
          `the stalled batch write ended after ${Math.round((Date.now() - began) / 1000)} s`,
        );
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // A batch that cannot be written now is given up rather than retried for ever: stopping must not hang.
    this.stopRetrying.abort();
    this.watch.stop();
    await this.messages?.close();
    await this.loop;
    await this.dispatch();
    await Promise.all(this.inFlight);
    this.holdWhileFailing(false);
  }

  private async receive(messages: ConsumerMessages) {
    for await (const msg of messages) {
      this.pending.push(msg);
      if (this.pending.length >= this.options.batchSize) await this.dispatch();
      else this.timer ??= setTimeout(() => void this.dispatch(), this.options.batchWaitMs);
    }
  }

  /** Hands the pending messages to a writer; waits only while all writers are busy (backpressure). */
  private async dispatch(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight.size >= this.options.maxInFlight) await Promise.race(this.inFlight);
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const write = this.write(batch).finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  /**
   * While writes fail, tells JetStream that every message this worker holds, being written or waiting for a
   * writer, is still being worked on, well inside the ack wait, so none is handed out again meanwhile.
   */
  private holdWhileFailing(failing: boolean): void {
    if (!failing) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
      return;
    }
    if (this.keepAlive) return;
    const hold = () => {
      for (const batch of this.writing) for (const m of batch) m.working();
      for (const m of this.pending) m.working();
    };
    hold();
    this.keepAlive = setInterval(hold, this.options.ackWaitMs / 3);
  }

  private async write(batch: JsMsg[]): Promise<void> {
    const { pool, log, sites, retentionMs } = this.options;
    const prepared = prepareBatch(
      batch.map((m) => ({ subject: m.subject, data: m.data, streamSeq: m.seq })),
      { sites, now: Date.now(), retentionMs },
    );
    this.writing.add(batch);
    let outcome;
    try {
      const insert: InsertFn = (accepted, rejected) =>
        this.insertWatched(() => insertRows(pool, accepted, rejected));
      outcome = await storeBatch(prepared, insert, {
        signal: this.stopRetrying.signal,
        onRetry: (err, attempt, delayMs) => {
          this.lastError = (err as Error).message;
          this.metrics.retries.inc();
          log.warn(
            { err: (err as Error).message, attempt, delayMs, batch: batch.length },
            'batch write failed; retrying',
          );
          this.holdWhileFailing(true);
        },
      });
    } catch (err) {
      if (!(err instanceof StoppedRetrying)) throw err;
      log.warn(
        { err: err.message, batch: batch.length },
        'stopping while writes fail: the batch is left unacknowledged, for JetStream to hand out again',
      );
      return;
    } finally {
      this.writing.delete(batch);
    }
    const committedAt = Date.now();
    if (this.lastError) log.info('database writes succeed again');
    this.lastError = undefined;
    this.holdWhileFailing(false);
    for (const m of batch) m.ack();

    const { events, lag, batchSize } = this.metrics;
    batchSize.observe(batch.length);
    if (outcome.stored.length) events.inc({ result: 'accepted' }, outcome.stored.length);
    if (outcome.duplicates) events.inc({ result: 'duplicate' }, outcome.duplicates);
    for (const [reason, n] of outcome.rejectedByReason) events.inc({ result: 'rejected', reason }, n);
    // A sensor clock running ahead (up to the 5 minutes the contract allows) is no lag, not negative lag.
    for (const row of outcome.stored) {
      lag.observe(Math.max(0, committedAt - Date.parse(row.event.observedAt)) / 1000);
    }
    this.options.onCommitted?.(outcome.stored, committedAt);
  }
}
