import type { Pool, PoolClient } from 'pg';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  ip?: string;
  detail?: Record<string, unknown>;
}

/** Appends to the audit log; inside a transaction when given its client, so the entry commits with the change. */
export async function audit(db: Pool | PoolClient, entry: AuditEntry): Promise<void> {
  await db.query('INSERT INTO audit_log (actor, action, target, ip, detail) VALUES ($1, $2, $3, $4, $5)', [
    entry.actor,
    entry.action,
    entry.target ?? null,
    entry.ip ?? null,
    JSON.stringify(entry.detail ?? {}),
  ]);
}
