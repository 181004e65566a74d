import type { AlertChange, ChangeKind } from '../engine/alert-book';
import type { ClockInput } from './clock-input';
import type { Snapshot } from './correlator';

/**
 * What one batch (or one clock tick) produced and must commit in one transaction: alert changes, the clock
 * inputs it applied and, when one is due, a snapshot of the engine state at its end.
 */
export interface UnitOfWork {
  changes: AlertChange[];
  clockInputs: ClockInput[];
  snapshot?: Snapshot;
}

/** A committed revision waiting to be published on ALERTS (a row of alert_outbox). */
export interface OutboxRow {
  id: number;
  alertId: string;
  rev: number;
  change: ChangeKind;
  subject: string;
  /** The contract Alert as JSON text, exactly as published. */
  body: string;
}
