import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Alert, alertSubject, type AlertStatus } from '@wachtpost/contracts';
import type { Logger } from '@wachtpost/platform';
import type { Pool, PoolClient } from 'pg';
import { audit } from '../audit';
import { HttpError } from '../http/respond';

export type ActionKind = 'acknowledge' | 'assign' | 'note' | 'resolve' | 'silence';
export const OUTCOMES = ['confirmed', 'false-positive', 'duplicate', 'search-ordered'] as const;
export type Outcome = (typeof OUTCOMES)[number];

// The history's change names, beside the detectors' own (opened, escalated, acknowledged, resolved, ...).
const CHANGE: Record<ActionKind, string> = {
  acknowledge: 'acknowledged',
  assign: 'assigned',
  note: 'noted',
  resolve: 'resolved',
  silence: 'silenced',
};

/** Headers on a console revision's message, so every console server learns the console fields with it. */
export const ACTION_HEADER = 'Wachtpost-Action';
export const ACTOR_HEADER = 'Wachtpost-Actor';
export const ASSIGNEE_HEADER = 'Wachtpost-Assignee';

export interface ActionRequest {
  alertId: string;
  action: ActionKind;
  actor: string;
  ip: string;
  /** The revision the operator saw; a newer one answers 409 instead of acting on a changed alert. */
  expectedRev?: number;
  detail: Record<string, unknown>;
  assignee?: string;
  outcome?: Outcome;
  /** Runs inside the transaction (a silence's own row). */
  extra?: (db: PoolClient, alert: Alert) => Promise<Record<string, unknown>>;
}

export interface ActionResult {
  alert: Alert;
  assignee: string | undefined;
  detail: Record<string, unknown>;
}

/**
 * Operator actions change an alert the way the detectors do: a new revision (rev + 1) of the contract Alert
 * written to `alerts`, `alert_history` and the outbox in one transaction, then published on ALERTS with the
 * message id `<alertId>:<rev>`, so every console server pushes it and a replay of the stream shows it.
 */
export class AlertActions {
  private retryTimer: NodeJS.Timeout | undefined;
  private seenInOutbox = new Set<number>();

  constructor(
    private readonly pool: Pool,
    private readonly js: JetStreamClient,
    private readonly log: Logger,
  ) {}

  /**
   * Publishes console revisions a failed publish (NATS away) left in the outbox. A row is retried once it has
   * been there a whole sweep, so a request still publishing its own row is not raced. The message id makes a
   * second copy (this retry and the detectors' outbox drain both sending it) harmless.
   */
  startOutboxRetry(everyMs = 5000): void {
    this.retryTimer = setInterval(() => {
      this.retryOutbox().catch((err: unknown) => this.log.warn({ err }, 'console outbox retry failed'));
    }, everyMs);
    this.retryTimer.unref();
  }

  stopOutboxRetry(): void {
    clearInterval(this.retryTimer);
  }

  async retryOutbox(): Promise<number> {
    const { rows } = await this.pool.query<{
      id: string;
      alert_id: string;
      rev: number;
      subject: string;
      body: string;
      action: string;
      actor: string;
      assignee: string | null;
    }>(
      `SELECT o.id, o.alert_id, o.rev, o.subject, o.body, x.action, x.actor, g.assignee
       FROM alert_outbox o JOIN alert_actions x ON x.alert_id = o.alert_id AND x.rev = o.rev
       LEFT JOIN alert_assignments g ON g.alert_id = o.alert_id
       ORDER BY o.id LIMIT 1000`,
    );
    const due = rows.filter((r) => this.seenInOutbox.has(Number(r.id)));
    this.seenInOutbox = new Set(rows.map((r) => Number(r.id)));
    for (const r of due) {
      const h = natsHeaders();
      h.set(ACTION_HEADER, r.action);
      h.set(ACTOR_HEADER, r.actor);
      if (r.assignee) h.set(ASSIGNEE_HEADER, r.assignee);
      await this.js.publish(r.subject, new TextEncoder().encode(r.body), {
        msgID: `${r.alert_id}:${r.rev}`,
        headers: h,
      });
      await this.pool.query('DELETE FROM alert_outbox WHERE id = $1', [r.id]);
      this.seenInOutbox.delete(Number(r.id));
    }
    if (due.length > 0)
      this.log.info({ published: due.length }, 'published console revisions left in the outbox');
    return due.length;
  }

  async apply(req: ActionRequest): Promise<ActionResult> {
    const { result, outboxId, subject, body } = await this.commit(req);
    await this.publish(req, result, outboxId, subject, body);
    return result;
  }

  private async commit(req: ActionRequest) {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const found = await client.query<{ body: unknown; rev: number }>(
        'SELECT body, rev FROM alerts WHERE alert_id = $1 FOR UPDATE',
        [req.alertId],
      );
      const row = found.rows[0];
      if (!row) throw new HttpError(404, `no alert ${req.alertId}`);
      const current = Alert.parse(row.body);
      if (req.expectedRev !== undefined && req.expectedRev !== current.rev) {
        throw new HttpError(
          409,
          `alert ${req.alertId} is at rev ${current.rev}, not ${req.expectedRev}; reload it`,
        );
      }
      const status = nextStatus(req.action, current.status);
      const now = new Date().toISOString();
      const next: Alert = { ...current, rev: current.rev + 1, status, updatedAt: now };
      const body = JSON.stringify(next);
      const subject = alertSubject(next.siteId, next.wingId);
      // The WHERE on rev is the optimistic check against a detector writing the same alert meanwhile.
      const updated = await client.query(
        `UPDATE alerts SET rev = $2, status = $3, updated_at = $4, body = $5::jsonb, stored_at = now()
         WHERE alert_id = $1 AND rev = $6`,
        [next.alertId, next.rev, status, now, body, current.rev],
      );
      if (updated.rowCount !== 1)
        throw new HttpError(409, `alert ${req.alertId} changed meanwhile; try again`);
      await client.query(
        `INSERT INTO alert_history (alert_id, rev, change, rule, severity, status, site_id, exercise, updated_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
        [
          next.alertId,
          next.rev,
          CHANGE[req.action],
          next.rule,
          next.severity,
          status,
          next.siteId,
          next.exercise,
          now,
          body,
        ],
      );
      const outbox = await client.query<{ id: string }>(
        `INSERT INTO alert_outbox (alert_id, rev, change, subject, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [next.alertId, next.rev, CHANGE[req.action], subject, body],
      );
      const detail = { ...req.detail, ...(req.extra && (await req.extra(client, next))) };
      await client.query(
        'INSERT INTO alert_actions (alert_id, rev, action, actor, detail, at) VALUES ($1, $2, $3, $4, $5, $6)',
        [next.alertId, next.rev, req.action, req.actor, JSON.stringify(detail), now],
      );
      if (req.action === 'assign' && req.assignee) {
        await client.query(
          `INSERT INTO alert_assignments (alert_id, assignee, assigned_by, assigned_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (alert_id) DO UPDATE SET assignee = $2, assigned_by = $3, assigned_at = $4`,
          [next.alertId, req.assignee, req.actor, now],
        );
      }
      if (req.action === 'resolve') {
        // The detectors' outcome table knows 'operator'; the operator's verdict is in alert_actions.detail.
        await client.query(
          `INSERT INTO alert_outcomes (alert_id, rev, rule, result, site_id, wing_id, exercise, cell_ids, sensor_ids, resolved_at)
           VALUES ($1, $2, $3, 'operator', $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [
            next.alertId,
            next.rev,
            next.rule,
            next.siteId,
            next.wingId ?? null,
            next.exercise,
            next.cellIds,
            next.sensorIds,
            now,
          ],
        );
      }
      const assignee = await client.query<{ assignee: string }>(
        'SELECT assignee FROM alert_assignments WHERE alert_id = $1',
        [next.alertId],
      );
      await audit(client, {
        actor: req.actor,
        action: req.action,
        target: next.alertId,
        ip: req.ip,
        detail: { rev: next.rev, ...detail },
      });
      await client.query('COMMIT');
      return {
        result: { alert: next, assignee: assignee.rows[0]?.assignee, detail },
        outboxId: Number(outbox.rows[0]!.id),
        subject,
        body,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private async publish(
    req: ActionRequest,
    result: ActionResult,
    outboxId: number,
    subject: string,
    body: string,
  ) {
    const h = natsHeaders();
    h.set(ACTION_HEADER, req.action);
    h.set(ACTOR_HEADER, req.actor);
    if (result.assignee) h.set(ASSIGNEE_HEADER, result.assignee);
    try {
      await this.js.publish(subject, new TextEncoder().encode(body), {
        msgID: `${result.alert.alertId}:${result.alert.rev}`,
        headers: h,
      });
      await this.pool.query('DELETE FROM alert_outbox WHERE id = $1', [outboxId]);
    } catch (err) {
      // Committed but not on the stream yet: the outbox row stays and the retry sweep (or the detectors'
      // outbox drain) publishes it with the same message id; the change is not lost, only its push is late.
      this.log.warn(
        { err, alertId: result.alert.alertId, rev: result.alert.rev },
        'alert revision left in the outbox',
      );
    }
  }
}

function nextStatus(action: ActionKind, status: AlertStatus): AlertStatus {
  if (action === 'acknowledge') {
    if (status !== 'open')
      throw new HttpError(409, `only an open alert can be acknowledged; this one is ${status}`);
    return 'acknowledged';
  }
  if (action === 'resolve') {
    if (status === 'resolved') throw new HttpError(409, 'the alert is resolved already');
    return 'resolved';
  }
  return status;
}
