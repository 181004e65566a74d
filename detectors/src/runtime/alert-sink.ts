import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from '@wachtpost/platform';
import type { Pool } from 'pg';
import { publishRevisions } from './alert-publisher';
import { commitUnit, deleteOutbox, pendingOutbox } from './alert-store';
import type { DetectorMetrics } from './metrics';
import { retryUntilDone } from './retry';
import type { OutboxRow, UnitOfWork } from './unit-of-work';

export interface AlertSinkOptions {
  pool: Pool;
  js: JetStreamClient;
  /** The key of this worker's state in detector_state (its consumer's name). */
  partition: string;
  metrics: DetectorMetrics;
  log: Logger;
  stopped: () => boolean;
  /** Called with every batch of revisions the stream has stored, and when (tests and benchmarks). */
  onPublished?: (rows: readonly OutboxRow[], publishedAt: number) => void;
}

// The contract's counter and latency are about raising alerts: a new alert or a higher severity.
const RAISES = new Set(['opened', 'escalated']);

/**
 * Where alert changes go: committed (alerts, history, outcomes, outbox, snapshot) in one transaction, then
 * published on ALERTS, then counted. The database or NATS being away is waited out, never skipped.
 */
export class AlertSink {
  /** The last failure while it lasts: readiness reports it. */
  lastError: string | undefined;

  constructor(private readonly options: AlertSinkOptions) {}

  /** Commits a unit and publishes what it stored for the first time. */
  async write(unit: UnitOfWork): Promise<void> {
    const { pool, partition, stopped } = this.options;
    const { outbox, foreign } = await retryUntilDone(() => commitUnit(pool, partition, unit), {
      stopped,
      onRetry: (err, attempt, delayMs) => this.failed('commit', err, attempt, delayMs),
    });
    if (unit.snapshot) this.options.metrics.snapshotBytes.set(unit.snapshot.state.length);
    if (foreign.length > 0) {
      // Two writers of one alert's revisions: the engine has not seen an operator action (see the README).
      this.options.metrics.foreign.inc(foreign.length);
      this.options.log.warn(
        { revisions: foreign },
        'alert revisions already written by another writer: not stored',
      );
    }
    await this.publish(outbox);
  }

  /** Publishes revisions a crash left committed but unpublished. */
  async drainOutbox(): Promise<number> {
    const rows = await retryUntilDone(() => pendingOutbox(this.options.pool), {
      stopped: this.options.stopped,
      onRetry: (err, attempt, delayMs) => this.failed('outbox', err, attempt, delayMs),
    });
    await this.publish(rows);
    return rows.length;
  }

  private async publish(rows: readonly OutboxRow[]): Promise<void> {
    const { js, pool, log, metrics, stopped } = this.options;
    if (rows.length > 0) {
      await retryUntilDone(() => publishRevisions(js, rows), {
        stopped,
        onRetry: (err, attempt, delayMs) => this.failed('publish', err, attempt, delayMs),
      });
    }
    if (this.lastError) log.info('alert storage and publication work again');
    this.lastError = undefined;
    if (rows.length === 0) return;
    const publishedAt = Date.now();
    for (const row of rows) {
      if (!RAISES.has(row.change)) continue;
      const alert = JSON.parse(row.body) as { rule: string; severity: string; lastEventAt: string };
      metrics.alerts.inc({ rule: alert.rule, severity: alert.severity });
      metrics.latency.observe(Math.max(0, publishedAt - Date.parse(alert.lastEventAt)) / 1000);
    }
    this.options.onPublished?.(rows, publishedAt);
    // A row left behind is published once more at the next start, and the stream drops the repeat.
    await deleteOutbox(pool, rows).catch((err: unknown) =>
      log.warn({ err: (err as Error).message }, 'could not clear published alerts from the outbox'),
    );
  }

  private failed(step: string, err: unknown, attempt: number, delayMs: number): void {
    this.lastError = `${step}: ${(err as Error).message}`;
    this.options.metrics.retries.inc({ step });
    this.options.log.warn(
      { err: (err as Error).message, step, attempt, delayMs },
      `alert ${step} failed; retrying`,
    );
  }
}
