import type { Pool } from 'pg';
import type { OperatorAction } from '../engine/alert-book';
import type { OperatorInput } from './clock-input';

export interface PendingAction {
  siteId: string;
  /** Epoch ms. */
  at: number;
  command: OperatorInput;
}

// Unapplied actions, not "after the last id": the console's transactions may commit out of order, and a
// cursor would skip one that commits late. Per alert the console serialises actions, so rev order holds.
const PENDING = `
SELECT x.alert_id, x.rev, x.action, x.at, a.site_id
FROM alert_actions x JOIN alerts a ON a.alert_id = x.alert_id
WHERE NOT x.detectors_applied
ORDER BY x.at, x.alert_id, x.rev
LIMIT $1`;

/**
 * Operator actions the console stored that the engine has not been given yet, oldest first. The unit of work
 * that logs them for the engine marks them applied (alert-store.ts), in the same transaction.
 */
export async function pendingOperatorActions(pool: Pool, limit: number): Promise<PendingAction[]> {
  const { rows } = await pool.query<{
    alert_id: string;
    rev: number;
    action: OperatorAction;
    at: Date;
    site_id: string;
  }>(PENDING, [limit]);
  return rows.map((r) => ({
    siteId: r.site_id,
    at: r.at.getTime(),
    command: { alertId: r.alert_id, action: r.action, rev: r.rev },
  }));
}
