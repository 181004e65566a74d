import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { DETECTORS_CONSUMER, SENSORS_STREAM, type SiteIndex } from '@wachtpost/contracts';
import { ConsumerWatch, type Logger, type NatsConnection, type Registry } from '@wachtpost/platform';
import type { Pool } from 'pg';
import type { AlertChange } from '../engine/alert-book';
import { createEngine } from '../engine/engine';
import { AlertSink } from './alert-sink';
import { Correlator, type FeedOutcome } from './correlator';
import { detectorMetrics, type DetectorMetrics } from './metrics';
import { pendingOperatorActions, type PendingAction } from './operator-actions';
import { restoreState } from './restore';
import { retryUntilDone, StoppedError, type RetryOptions } from './retry';
import { fromJsMsg, type SensorMessage } from './sensor-message';
import { Signal } from './signal';
import { SnapshotPolicy } from './snapshot-policy';
import { saveSnapshot } from './state-store';
import { readStream } from './stream-reader';
import { mergeUnits, type OutboxRow, type UnitOfWork } from './unit-of-work';

export interface DetectorsWorkerOptions {
  nc: NatsConnection;
  pool: Pool;
  sites: ReadonlyMap<string, SiteIndex>;
  registry: Registry;
  log: Logger;
  /** A batch is correlated and committed when it is this full or this old. */
  batchSize: number;
  batchWaitMs: number;
  /** How often the wall clock is handed to the engine (`advance`). */
  tickMs: number;
  /** How often the engine state is written at most (less often when it is expensive); 0: every batch. */
  snapshotEveryMs: number;
  /** The stream's retention: older observations are invalid (`clock`), as ingest judges them. */
  retentionMs: number;
  /** The consumer's ack wait; a waiting worker says `working()` well inside it. */
  ackWaitMs: number;
  /** Detector parameter overrides per site id (see the detectors README). */
  detectorParams?: Readonly<Record<string, unknown>>;
  /**
   * Expect every sensor of the site models that the state does not know yet to report from the wall clock
   * on, once the worker has caught up with the stream (default true).
   */
  expectSensors?: boolean;
  stream?: string;
  consumer?: string;
  /** SENSORS was deleted and created again: stop this worker and start a new one, which carries its state over. */
  onStreamRecreated?: () => void;
  onPublished?: (rows: readonly OutboxRow[], publishedAt: number) => void;
}

/** At most this many operator actions per tick: a backlog after an outage drains over a few ticks. */
const OPERATOR_ACTIONS_PER_TICK = 500;
/** Messages correlated between two turns of the event loop. */
const YIELD_EVERY = 50;
/** Correlation runs at most this many batches ahead of the database. */
const BATCHES_AHEAD = 4;

interface QueuedUnit {
  unit: UnitOfWork;
  batch: readonly JsMsg[];
  settle: (err?: unknown) => void;
}

type Phase = 'starting' | 'catching up' | 'consuming' | 'stopped';

/**
 * The detectors runtime: one worker on the durable pull consumer `detectors`. It correlates messages strictly
 * in stream order, one batch at a time: the engine runs over the batch (plus a clock tick when one is due)
 * into a unit of work. Units are committed in order, each (or several queued together) in one transaction,
 * while the next batches are correlated; the new revisions are published on ALERTS, and only then are the
 * unit's messages acknowledged.
 *
 * Restart: the state is restored from the snapshot and the stream is read again, from the sequence after it
 * up to the last one the consumer had handed out, with the logged ticks repeated in place. The engine is
 * deterministic, so that replay re-derives exactly the revisions already stored, which are neither stored
 * nor published twice. Redelivered messages at or below the correlated sequence are acknowledged unread.
 *
 * The state lives in this process, so one worker serves a consumer: a second one on the same consumer would
 * get half the messages.
 */
export class DetectorsWorker {
  private readonly stream: string;
  private readonly consumerName: string;
  private readonly metrics: DetectorMetrics;
  private readonly log: Logger;
  private readonly work = new Signal();
  private readonly room = new Signal();
  private readonly sink: AlertSink;
  private js: JetStreamClient;
  private jsm: JetStreamManager | undefined;
  private correlator: Correlator | undefined;
  private messages: ConsumerMessages | undefined;
  private receiving: Promise<void> | undefined;
  private filter: string | undefined;
  /** The consumer's ack policy is AckAll: one acknowledgement, of the latest message, covers a commit. */
  private ackAll = false;
  private phase: Phase = 'starting';
  private failure: string | undefined;
  private stopping = false;
  private pending: JsMsg[] = [];
  private firstPendingAt = 0;
  private tickDue = false;
  /**
   * Whether the last delivery said the stream held nothing more for this consumer. Only then is the wall
   * clock the engine's business: while a backlog is correlated, its queued heartbeats are not silence.
   */
  private atStreamHead = false;
  private expectDue = false;
  private ticker: NodeJS.Timeout | undefined;
  private readonly snapshots: SnapshotPolicy;
  private snapshotWrite: Promise<void> | undefined;
  /** Units correlated and waiting for the database, oldest first. */
  private readonly queued: QueuedUnit[] = [];
  private committer: Promise<void> | undefined;
  /** Settles once every unit handed over so far is committed, published and acknowledged. */
  private committed: Promise<void> = Promise.resolve();
  /** Batches correlated and not yet acknowledged, with their commits: kept ours while the database waits. */
  private readonly held = new Map<readonly JsMsg[], Promise<void>>();
  private heldMessages = 0;
  private run: Promise<void> | undefined;
  private readonly watch: ConsumerWatch;

  constructor(private readonly options: DetectorsWorkerOptions) {
    this.stream = options.stream ?? SENSORS_STREAM;
    this.consumerName = options.consumer ?? DETECTORS_CONSUMER;
    this.watch = new ConsumerWatch({
      nc: options.nc,
      log: options.log,
      stream: this.stream,
      consumer: this.consumerName,
      sequencesMatter: true,
      onBack: () => void this.consumeAgain(),
      ...(options.onStreamRecreated && { onRecreated: options.onStreamRecreated }),
    });
    this.metrics = detectorMetrics(options.registry);
    this.log = options.log;
    this.js = jetstream(options.nc);
    this.snapshots = new SnapshotPolicy(options.snapshotEveryMs);
    this.sink = new AlertSink({
      pool: options.pool,
      js: this.js,
      partition: this.consumerName,
      metrics: this.metrics,
      log: this.log,
      stopped: () => this.stopping,
      onPublished: options.onPublished,
    });
  }

  /**
   * Binds to the provisioned consumer (failing at once when it is missing), then restores, catches up and
   * consumes in the background: a long replay must not hold up the other services of the process.
   */
  async start(): Promise<void> {
    this.jsm = await jetstreamManager(this.options.nc);
    const info = await this.jsm.consumers.info(this.stream, this.consumerName);
    this.filter = info.config.filter_subject || undefined;
    this.ackAll = info.config.ack_policy === AckPolicy.All;
    this.run = this.main().catch((err: unknown) => {
      if (err instanceof StoppedError) return;
      this.failure = (err as Error).message;
      this.log.error({ err }, 'detectors worker failed');
    });
  }

  /** Throws unless the worker is consuming and its last commit and publication succeeded. */
  ready(): Promise<void> {
    if (this.failure) return Promise.reject(new Error(`failed: ${this.failure}`));
    if (this.phase !== 'consuming') return Promise.reject(new Error(`not consuming: ${this.phase}`));
    if (this.sink.lastError) return Promise.reject(new Error(`alerts not stored: ${this.sink.lastError}`));
    return this.watch.check();
  }

  /**
   * Stops taking messages, correlates and commits what it holds with a final snapshot, and acknowledges it.
   * When the database is away it gives up instead: the messages stay unacknowledged and come back.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.watch.stop();
    clearInterval(this.ticker);
    await this.messages?.close();
    this.work.notify();
    this.room.notify();
    await this.run;
    await this.snapshotWrite;
    this.phase = 'stopped';
  }

  private async main(): Promise<void> {
    const retry = this.retry('restore');
    const restored = await restoreState({
      pool: this.options.pool,
      jsm: this.jsm!,
      stream: this.stream,
      partition: this.consumerName,
      log: this.log,
      retry,
    });
    const { detectorParams } = this.options;
    this.correlator = new Correlator({
      engine: createEngine([...this.options.sites.values()], detectorParams ? { detectorParams } : {}),
      sites: this.options.sites,
      retentionMs: this.options.retentionMs,
      restored,
    });
    const republished = await this.sink.drainOutbox();
    if (republished) this.log.info({ republished }, 'published alert revisions a crash had left unpublished');

    this.phase = 'catching up';
    await this.catchUp(retry);
    this.expectDue = this.options.expectSensors !== false;
    if (this.stopping) return;

    await this.consume();
    this.ticker = setInterval(() => {
      this.tickDue = true;
      this.work.notify();
    }, this.options.tickMs);
    this.phase = 'consuming';
    this.log.info({ seq: this.correlator.lastSeq }, 'detectors consuming');
    await this.batches();
    await this.receiving;
  }

  private async consume(): Promise<void> {
    this.messages = await retryUntilDone(async () => {
      const consumer = await this.js.consumers.get(this.stream, this.consumerName);
      return consumer.consume({ max_messages: this.options.batchSize * 2 });
    }, this.retry('consume'));
    await this.watch.follow(this.messages);
    this.receiving = this.receive(this.messages);
  }

  /**
   * The consumer was recreated: take messages from it now rather than wait for nats.js to notice (30 s and
   * more). What it delivers again that was already correlated is acknowledged unread, as after a restart.
   */
  private async consumeAgain(): Promise<void> {
    if (this.phase !== 'consuming' || this.stopping) return;
    await this.messages?.close();
    await this.receiving;
    if (this.stopping) return;
    await this.consume().catch((err: unknown) => {
      if (!(err instanceof StoppedError)) this.log.error({ err }, 'consuming again failed');
    });
    // stop() came while the new consume was being set up: it closed the old one only.
    if (this.stopping) await this.messages?.close();
  }

  /**
   * Replays what the previous run had received but not covered by a snapshot: the stream from the sequence
   * after the restored one up to the last one the consumer delivered. No acknowledgements: whatever of it the
   * consumer redelivers later is acknowledged as already correlated.
   */
  private async catchUp(retry: RetryOptions): Promise<void> {
    const correlator = this.correlator!;
    const jsm = this.jsm!;
    const consumer = await retryUntilDone(() => jsm.consumers.info(this.stream, this.consumerName), retry);
    const to = consumer.delivered.stream_seq;
    this.atStreamHead = consumer.num_pending === 0;
    if (to > correlator.lastSeq) {
      this.log.info(
        { from: correlator.lastSeq + 1, to },
        'replaying the stream up to where the last run stopped',
      );
    }
    for (let from = correlator.lastSeq + 1; from <= to && !this.stopping;) {
      const unit = this.newUnit();
      const end = Math.min(to, from + this.options.batchSize - 1);
      await this.readRange(from, end, unit.changes);
      await this.commit(unit);
      this.snapshotIfDue(Promise.resolve());
      from = end + 1;
    }
    const rest = this.newUnit();
    correlator.finishReplay(rest.changes);
    await this.commit(rest);
  }

  /**
   * Feeds stream sequences [from, to] read straight from the stream. A failure part way retries the rest:
   * what was fed stays fed, and the correlator ignores sequences it already has.
   */
  private async readRange(from: number, to: number, out: AlertChange[]): Promise<void> {
    const jsm = this.jsm!;
    await retryUntilDone(async () => {
      const first = (await jsm.streams.info(this.stream)).state.first_seq;
      const range = {
        stream: this.stream,
        from: Math.max(from, this.correlator!.lastSeq + 1, first),
        to,
        filter: this.filter,
      };
      for await (const message of readStream(jsm, range)) this.feed(message, out);
    }, this.retry('read'));
  }

  private async receive(messages: ConsumerMessages): Promise<void> {
    const limit = this.options.batchSize * 4;
    try {
      for await (const m of messages) {
        this.pending.push(m);
        this.atStreamHead = m.info.pending === 0;
        // The first message starts the batch clock; a full batch goes at once.
        if (this.pending.length === 1) this.firstPendingAt = Date.now();
        if (this.pending.length === 1 || this.pending.length >= this.options.batchSize) this.work.notify();
        // Leave the rest in the consumer: held here they would be redelivered while a commit is retried.
        while (this.pending.length >= limit && !this.stopping) await this.room.wait(1000);
      }
    } catch (err) {
      if (!this.stopping) this.failure = `consumer: ${(err as Error).message}`;
    }
    this.work.notify();
  }

  private async batches(): Promise<void> {
    while (!this.stopping) {
      await this.nextWork();
      if (this.stopping) break;
      await this.process(this.pending.splice(0, this.options.batchSize), false);
      this.room.notify();
    }
    // Stopping: finish what was received, with a final snapshot so the next start replays nothing.
    await this.process(this.pending.splice(0), true);
  }

  /** Waits until a batch is full or old enough, or a tick is due. */
  private async nextWork(): Promise<void> {
    for (;;) {
      if (this.stopping || this.tickDue || this.pending.length >= this.options.batchSize) return;
      if (this.pending.length === 0) {
        await this.work.wait();
        continue;
      }
      const left = this.firstPendingAt + this.options.batchWaitMs - Date.now();
      if (left <= 0) return;
      await this.work.wait(left);
    }
  }

  /**
   * Correlates a batch into a unit of work and hands it to the database, which commits while the next
   * batches are correlated. Returns at once unless the database is `BATCHES_AHEAD` batches behind.
   */
  private async process(batch: JsMsg[], final: boolean): Promise<void> {
    const unit = this.newUnit();
    for (let i = 0; i < batch.length; i++) {
      // Let I/O in now and then, so the commit in flight gets its replies without waiting for the whole batch.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(setImmediate);
      await this.handle(fromJsMsg(batch[i]!), unit.changes);
    }
    if (this.tickDue && !final) {
      this.tickDue = false;
      // The unit that applies an operator action marks it applied: the poll must not see it again before.
      await this.committed;
      for (const action of await this.operatorActions()) {
        const { siteId, at, command } = action;
        unit.clockInputs.push(this.correlator!.clock('operator', siteId, at, unit.changes, command));
      }
      if (this.caughtUp()) this.handOverWallClock(unit);
    }
    if (final) {
      // An older snapshot still being written must not land after the final one.
      await this.committed;
      await this.snapshotWrite;
      unit.snapshot = this.correlator!.snapshot();
    }
    const committed = this.handOver(unit, batch);
    this.committed = committed;
    if (final) return committed;
    this.snapshotIfDue(committed);
    while (this.heldMessages > this.options.batchSize * BATCHES_AHEAD) await this.held.values().next().value;
  }

  /** Queues a unit for the committer; the promise settles once it is committed and its batch acknowledged. */
  private handOver(unit: UnitOfWork, batch: readonly JsMsg[]): Promise<void> {
    let settle!: QueuedUnit['settle'];
    const committed = new Promise<void>((resolve, reject) => {
      settle = (err) => (err === undefined ? resolve() : reject(err));
    });
    // A failure (only ever StoppedError) reaches whoever awaits it; this keeps it from going unhandled.
    committed.catch(() => undefined);
    this.queued.push({ unit, batch, settle });
    this.held.set(batch, committed);
    this.heldMessages += batch.length;
    this.committer ??= this.commitQueued();
    return committed;
  }

  /**
   * Commits the queued units in order until none waits. Whatever queued up during a commit goes as one unit
   * (one transaction, one round of publishing): the busier the stream, the fewer round trips per event.
   */
  private async commitQueued(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const items = this.queued.splice(0);
        let failure: unknown;
        try {
          await this.commit(mergeUnits(items.map((item) => item.unit)));
        } catch (err) {
          failure = err;
          items.push(...this.queued.splice(0));
        }
        if (failure === undefined) this.acknowledge(items.map((item) => item.batch));
        for (const { batch, settle } of items) {
          this.held.delete(batch);
          this.heldMessages -= batch.length;
          settle(failure);
        }
      }
    } finally {
      this.committer = undefined;
    }
  }

  /** Acknowledges committed batches: with AckAll only the latest message, which covers every earlier one. */
  private acknowledge(batches: readonly (readonly JsMsg[])[]): void {
    if (!this.ackAll) {
      for (const batch of batches) for (const m of batch) m.ack();
      return;
    }
    // The latest in the stream, not the last delivered: a redelivery of an older message comes later.
    let latest: JsMsg | undefined;
    for (const batch of batches) for (const m of batch) if (!latest || m.seq > latest.seq) latest = m;
    latest?.ack();
  }

  /**
   * True when everything the stream held has been correlated. While the worker is behind (after an outage,
   * under overload) the wall clock waits: handed to the engine, it would declare offline every sensor whose
   * heartbeats are merely queued, and move the watermark past the queued events, making them late.
   */
  private caughtUp(): boolean {
    return this.atStreamHead && this.pending.length === 0;
  }

  /**
   * The wall clock for every site: silent sensors are declared offline and windows close without new events.
   * The first time after a start, sensors the state does not know yet count as live from now, so a sensor
   * that never reports is caught.
   */
  private handOverWallClock(unit: UnitOfWork): void {
    const now = Date.now();
    for (const siteId of this.options.sites.keys()) {
      if (this.expectDue) unit.clockInputs.push(this.correlator!.clock('expect', siteId, now, unit.changes));
      unit.clockInputs.push(this.correlator!.clock('advance', siteId, now, unit.changes));
    }
    this.expectDue = false;
  }

  /** Feeds one delivered message, first reading from the stream any sequences the consumer skipped. */
  private async handle(message: SensorMessage, out: AlertChange[]): Promise<void> {
    const from = this.correlator!.lastSeq + 1;
    if (message.seq > from) {
      this.log.info({ from, to: message.seq - 1 }, 'reading messages the consumer did not deliver');
      await this.readRange(from, message.seq - 1, out);
    }
    this.feed(message, out);
  }

  private feed(message: SensorMessage, out: AlertChange[]): FeedOutcome {
    const outcome = this.correlator!.feed(message, out);
    this.metrics.messages.inc({ result: outcome.result });
    if (outcome.result === 'late') this.metrics.late.inc({ site: outcome.siteId ?? 'unknown' });
    this.metrics.streamSeq.set(this.correlator!.lastSeq);
    return outcome;
  }

  /**
   * The console's new operator actions, for the engine's copies of their alerts. A failed poll waits for the
   * next tick: the actions stay unapplied in the database, and correlation must not stall on them.
   */
  private async operatorActions(): Promise<PendingAction[]> {
    try {
      const actions = await pendingOperatorActions(this.options.pool, OPERATOR_ACTIONS_PER_TICK);
      this.metrics.operatorActions.inc(actions.length);
      return actions;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'operator actions not read; retrying at the next tick');
      return [];
    }
  }

  private newUnit(): UnitOfWork {
    return { changes: [], clockInputs: [] };
  }

  /** Commits and publishes a unit, keeping the messages held ours while it waits. */
  private async commit(unit: UnitOfWork): Promise<void> {
    if (unit.changes.length > 0 || unit.clockInputs.length > 0 || unit.snapshot) {
      // While the database or NATS is away, tell JetStream the messages are still being worked on, well
      // inside the ack wait, so they are not handed out again; on a timer, not per retry, whose backoff grows.
      const keepAlive = setInterval(
        () => {
          for (const batch of this.held.keys()) for (const m of batch) m.working();
          for (const m of this.pending) m.working();
        },
        Math.max(100, this.options.ackWaitMs / 3),
      );
      try {
        await this.sink.write(unit);
      } finally {
        clearInterval(keepAlive);
      }
    }
    if (unit.snapshot) this.snapshots.taken(Date.now(), 0);
  }

  /**
   * When one is due: serialises the state as it stands (the one pause correlation takes for it) and writes it
   * in a transaction of its own once `covered`, the commit of everything it includes, has landed, while the
   * next batches go on. One write at a time; a failed one is skipped (the next is due soon, and the replay
   * covers the gap).
   */
  private snapshotIfDue(covered: Promise<void>): void {
    // The size walks every drone track: not while a write is in flight, when no snapshot can be taken anyway.
    if (this.snapshotWrite) return;
    const items = this.correlator!.size;
    if (!this.snapshots.due(Date.now(), items)) return;
    const started = performance.now();
    const snapshot = this.correlator!.snapshot();
    this.snapshots.taken(Date.now(), performance.now() - started, items);
    const { pool } = this.options;
    this.snapshotWrite = covered
      .then(() => saveSnapshot(pool, this.consumerName, snapshot))
      .then(() => this.metrics.snapshotBytes.set(snapshot.state.length))
      .catch((err: unknown) => {
        if (!(err instanceof StoppedError))
          this.log.warn({ err: (err as Error).message }, 'snapshot not written');
      })
      .finally(() => (this.snapshotWrite = undefined));
  }

  private retry(step: string): RetryOptions {
    return {
      stopped: () => this.stopping,
      onRetry: (err, attempt, delayMs) => {
        this.metrics.retries.inc({ step });
        this.log.warn(
          { err: (err as Error).message, step, attempt, delayMs },
          `detectors ${step} failed; retrying`,
        );
      },
    };
  }
}
