import type { Alert } from '@wachtpost/contracts';
import type { Pool } from 'pg';
import type { AlertListQuery } from '../api/list-query';
import { decodeCursor, keysetPage } from '../http/cursor';

/** The console's fields of an alert, sent beside the contract Alert, never inside it. */
export interface ConsoleFields {
  assignee?: string;
  silenced?: boolean;
}

export interface AlertPage {
  alerts: { alert: Alert; console: ConsoleFields }[];
  nextCursor: string | null;
}

// Newest change first; the alert id breaks ties so the order, and the cursor after it, is total.
const LIST = `
SELECT a.body, to_json(a.updated_at)#>>'{}' AS sort_time, a.alert_id, x.assignee
FROM alerts a LEFT JOIN alert_assignments x ON x.alert_id = a.alert_id
WHERE ($1::text IS NULL OR a.site_id = $1)
  AND ($2::text IS NULL OR a.wing_id = $2)
  AND ($3::text[] IS NULL OR a.status = ANY($3))
  AND ($4::text[] IS NULL OR a.rule = ANY($4))
  AND ($5::timestamptz IS NULL OR a.updated_at >= $5)
  AND ($6::timestamptz IS NULL OR a.updated_at < $6)
  AND ($7::boolean IS NULL OR a.exercise = $7)
  AND ($8::timestamptz IS NULL OR (a.updated_at, a.alert_id) < ($8, $9))
ORDER BY a.updated_at DESC, a.alert_id DESC
LIMIT $10`;

export async function listAlerts(
  pool: Pool,
  q: AlertListQuery,
  silenced: (alert: Alert) => boolean,
): Promise<AlertPage> {
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const { rows } = await pool.query<{
    body: Alert;
    sort_time: string;
    alert_id: string;
    assignee: string | null;
  }>(LIST, [
    q.siteId ?? null,
    q.wingId ?? null,
    q.status ?? null,
    q.kind ?? null,
    q.from ?? null,
    q.to ?? null,
    q.exercise ?? null,
    after?.time ?? null,
    after?.id ?? null,
    q.limit + 1,
  ]);
  const { page, nextCursor } = keysetPage(rows, q.limit, (r) => ({ time: r.sort_time, id: r.alert_id }));
  return {
    alerts: page.map((r) => ({ alert: r.body, console: consoleFields(r.body, r.assignee, silenced) })),
    nextCursor,
  };
}

export const consoleFields = (
  alert: Alert,
  assignee: string | null | undefined,
  silenced: (alert: Alert) => boolean,
): ConsoleFields => ({ ...(assignee && { assignee }), silenced: silenced(alert) });

export interface AlertRevision {
  rev: number;
  change: string;
  status: string;
  severity: string;
  updatedAt: string;
  /** When it was stored and published (wall clock): later than updatedAt when raised from late evidence. */
  storedAt: string;
  /** Raised or changed by evidence that came after the allowed lateness. */
  late?: true;
  /** Sensors offline or faulty during the alert's window: its correlation is incomplete. */
  incomplete?: string[];
  /** The console action behind the revision, when an operator made it. */
  action?: { action: string; actor: string; detail: Record<string, unknown>; at: string };
}

export async function getAlert(
  pool: Pool,
  alertId: string,
  silenced: (alert: Alert) => boolean,
): Promise<{ alert: Alert; console: ConsoleFields; history: AlertRevision[] } | undefined> {
  const current = await pool.query<{ body: Alert; assignee: string | null }>(
    `SELECT a.body, x.assignee FROM alerts a LEFT JOIN alert_assignments x ON x.alert_id = a.alert_id
     WHERE a.alert_id = $1`,
    [alertId],
  );
  const row = current.rows[0];
  if (!row) return undefined;
  const history = await pool.query<{
    rev: number;
    change: string;
    status: string;
    severity: string;
    updated_at: Date;
    stored_at: Date;
    late: boolean;
    incomplete: string[] | null;
    action: string | null;
    actor: string | null;
    detail: Record<string, unknown> | null;
    at: Date | null;
  }>(
    `SELECT h.rev, h.change, h.status, h.severity, h.updated_at, h.stored_at, h.late, h.incomplete,
            x.action, x.actor, x.detail, x.at
     FROM alert_history h LEFT JOIN alert_actions x ON x.alert_id = h.alert_id AND x.rev = h.rev
     WHERE h.alert_id = $1 ORDER BY h.rev`,
    [alertId],
  );
  return {
    alert: row.body,
    console: consoleFields(row.body, row.assignee, silenced),
    history: history.rows.map((h) => ({
      rev: h.rev,
      change: h.change,
      status: h.status,
      severity: h.severity,
      updatedAt: h.updated_at.toISOString(),
      storedAt: h.stored_at.toISOString(),
      ...(h.late && { late: true as const }),
      ...(h.incomplete?.length && { incomplete: h.incomplete }),
      ...(h.action &&
        h.at && {
          action: { action: h.action, actor: h.actor ?? '', detail: h.detail ?? {}, at: h.at.toISOString() },
        }),
    })),
  };
}
