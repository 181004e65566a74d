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

/**
 * Consecutive units as one, in order: the same transaction a batch holding all their messages would have
 * made. A snapshot (only a final unit has one, and nothing follows it) is the last unit's.
 */
export function mergeUnits(units: readonly UnitOfWork[]): UnitOfWork {
  if (units.length === 1) return units[0]!;
  const snapshot = units.at(-1)?.snapshot;
  return {
    changes: units.flatMap((u) => u.changes),
    clockInputs: units.flatMap((u) => u.clockInputs),
    ...(snapshot && { snapshot }),
  };
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
