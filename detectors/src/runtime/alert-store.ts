import { alertSubject } from '@wachtpost/contracts';
import type { Pool, PoolClient } from 'pg';
import type { AlertChange, ChangeKind } from '../engine/alert-book';
import { saveSnapshot } from './state-store';
import type { OutboxRow, UnitOfWork } from './unit-of-work';

// Every statement takes its rows as one jsonb array and picks the fields in SQL: one round trip per table.
const UPSERT_ALERTS = `
INSERT INTO alerts (alert_id, rev, rule, severity, status, site_id, wing_id, exercise,
                    first_event_at, last_event_at, opened_at, updated_at, body)
SELECT a->>'alertId', (a->>'rev')::int, a->>'rule', a->>'severity', a->>'status', a->>'siteId', a->>'wingId',
       (a->>'exercise')::boolean, (a->>'firstEventAt')::timestamptz, (a->>'lastEventAt')::timestamptz,
       (a->>'openedAt')::timestamptz, (a->>'updatedAt')::timestamptz, a
FROM unnest($1::jsonb[]) AS a
ON CONFLICT (alert_id) DO UPDATE SET
  rev = EXCLUDED.rev, rule = EXCLUDED.rule, severity = EXCLUDED.severity, status = EXCLUDED.status,
  site_id = EXCLUDED.site_id, wing_id = EXCLUDED.wing_id, exercise = EXCLUDED.exercise,
  first_event_at = EXCLUDED.first_event_at, last_event_at = EXCLUDED.last_event_at,
  opened_at = EXCLUDED.opened_at, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body, stored_at = now()
WHERE alerts.rev < EXCLUDED.rev`;

// History rows that are new (not a replay of a stored revision) go to the outbox in the same statement.
const INSERT_HISTORY_AND_OUTBOX = `
WITH input AS (
  SELECT c, (c->>'body')::jsonb AS a, ord FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(c, ord)
), inserted AS (
  INSERT INTO alert_history (alert_id, rev, change, previous_severity, rule, severity, status, site_id,
                             exercise, incomplete, late, updated_at, body)
  SELECT a->>'alertId', (a->>'rev')::int, c->>'change', c->>'previousSeverity', a->>'rule', a->>'severity',
         a->>'status', a->>'siteId', (a->>'exercise')::boolean,
         CASE WHEN c ? 'incomplete' THEN ARRAY(SELECT jsonb_array_elements_text(c->'incomplete')) END,
         coalesce((c->>'late')::boolean, false), (a->>'updatedAt')::timestamptz, a
  FROM input ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING alert_id, rev
)
INSERT INTO alert_outbox (alert_id, rev, change, subject, body)
SELECT i.alert_id, i.rev, input.c->>'change', input.c->>'subject', input.c->>'body'
FROM inserted i JOIN input ON input.a->>'alertId' = i.alert_id AND (input.a->>'rev')::int = i.rev
ORDER BY input.ord
RETURNING id, alert_id, rev, change, subject, body`;

// Revisions the history already holds with another body: someone else (the console, for an operator action the
// engine has not seen) wrote that rev. A replay after a crash finds its own, identical bodies.
const FOREIGN_REVISIONS = `
SELECT h.alert_id, h.rev FROM alert_history h
JOIN unnest($1::text[], $2::int[], $3::jsonb[]) AS c(alert_id, rev, body) ON h.alert_id = c.alert_id AND h.rev = c.rev
WHERE h.body <> c.body`;

const INSERT_OUTCOMES = `
INSERT INTO alert_outcomes (alert_id, rev, rule, result, site_id, wing_id, exercise, search_id, event_id,
                            cell_id, cell_ids, sensor_ids, resolved_at)
SELECT a->>'alertId', (a->>'rev')::int, a->>'rule', o->>'result', a->>'siteId', a->>'wingId',
       (a->>'exercise')::boolean, o->>'searchId', o->>'eventId', o->>'cellId',
       ARRAY(SELECT jsonb_array_elements_text(a->'cellIds')),
       ARRAY(SELECT jsonb_array_elements_text(a->'sensorIds')), (a->>'updatedAt')::timestamptz
FROM unnest($1::jsonb[]) AS c, LATERAL (SELECT (c->>'body')::jsonb AS a, c->'outcome' AS o) AS x
ON CONFLICT DO NOTHING`;

const INSERT_CLOCK = `
INSERT INTO detector_clock (partition, no, after_seq, kind, site_id, at, command)
SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[])
ON CONFLICT DO NOTHING`;

// The operator actions this unit hands to the engine: the poll (pendingOperatorActions) will not see them again.
const MARK_APPLIED = `
UPDATE alert_actions SET detectors_applied = true
FROM unnest($1::text[], $2::int[]) AS c(alert_id, rev)
WHERE alert_actions.alert_id = c.alert_id AND alert_actions.rev = c.rev`;

interface OutboxDbRow {
  id: string;
  alert_id: string;
  rev: number;
  change: ChangeKind;
  subject: string;
  body: string;
}

const outboxRow = (r: OutboxDbRow): OutboxRow => ({
  id: Number(r.id),
  alertId: r.alert_id,
  rev: r.rev,
  change: r.change,
  subject: r.subject,
  body: r.body,
});

const changeRow = (c: AlertChange) =>
  JSON.stringify({
    change: c.change,
    previousSeverity: c.previousSeverity,
    incomplete: c.incomplete,
    late: c.late,
    outcome: c.outcome,
    subject: alertSubject(c.alert.siteId, c.alert.wingId),
    body: JSON.stringify(c.alert),
  });

/** The newest revision of each alert in the list: the only one the alerts table needs. */
function latestPerAlert(changes: readonly AlertChange[]): string[] {
  const latest = new Map<string, AlertChange['alert']>();
  for (const { alert } of changes) {
    const seen = latest.get(alert.alertId);
    if (!seen || seen.rev < alert.rev) latest.set(alert.alertId, alert);
  }
  return [...latest.values()].map((a) => JSON.stringify(a));
}

/**
 * Commits one unit of work in one transaction: current alert states (only a newer rev replaces a row), every
 * revision into the history, resolve outcomes, the clock inputs, and the snapshot when one is due. Returns the
 * revisions it stored for the first time, in order, as outbox rows to publish; a replay of stored revisions
 * returns none, which is what keeps a restart from publishing twice.
 */
export interface Committed {
  /** Revisions stored for the first time, in order: to publish. */
  outbox: OutboxRow[];
  /** `alertId:rev` of revisions another writer had already stored with other content: not stored, not published. */
  foreign: string[];
}

export async function commitUnit(pool: Pool, partition: string, unit: UnitOfWork): Promise<Committed> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const committed = await writeUnit(client, partition, unit);
    await client.query('COMMIT');
    return committed;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw err;
  } finally {
    // A connection that failed mid-transaction goes away instead of back into the pool.
    client.release(broken);
  }
}

async function writeUnit(client: PoolClient, partition: string, unit: UnitOfWork): Promise<Committed> {
  let outbox: OutboxRow[] = [];
  let foreign: string[] = [];
  if (unit.changes.length > 0) {
    const rows = unit.changes.map(changeRow);
    await client.query(UPSERT_ALERTS, [latestPerAlert(unit.changes)]);
    const inserted = await client.query<OutboxDbRow>(INSERT_HISTORY_AND_OUTBOX, [rows]);
    outbox = inserted.rows.map(outboxRow);
    const stored = new Set(outbox.map((r) => `${r.alertId}:${r.rev}`));
    const known = unit.changes.filter((c) => !stored.has(`${c.alert.alertId}:${c.alert.rev}`));
    if (known.length > 0) {
      const found = await client.query<{ alert_id: string; rev: number }>(FOREIGN_REVISIONS, [
        known.map((c) => c.alert.alertId),
        known.map((c) => c.alert.rev),
        known.map((c) => JSON.stringify(c.alert)),
      ]);
      foreign = found.rows.map((r) => `${r.alert_id}:${r.rev}`);
    }
    const resolved = unit.changes.filter((c) => c.outcome).map(changeRow);
    if (resolved.length > 0) await client.query(INSERT_OUTCOMES, [resolved]);
  }
  if (unit.clockInputs.length > 0) {
    const c = unit.clockInputs;
    await client.query(INSERT_CLOCK, [
      partition,
      c.map((i) => i.no),
      c.map((i) => i.afterSeq),
      c.map((i) => i.kind),
      c.map((i) => i.siteId),
      c.map((i) => new Date(i.at).toISOString()),
      c.map((i) => (i.command ? JSON.stringify(i.command) : null)),
    ]);
    const applied = c.flatMap((i) => i.command ?? []);
    if (applied.length > 0) {
      await client.query(MARK_APPLIED, [applied.map((a) => a.alertId), applied.map((a) => a.rev)]);
    }
  }
  if (unit.snapshot) await saveSnapshot(client, partition, unit.snapshot);
  return { outbox: outbox.sort((a, b) => a.id - b.id), foreign };
}

/** Outbox rows left by a crash between commit and publish, oldest first. */
export async function pendingOutbox(pool: Pool): Promise<OutboxRow[]> {
  const { rows } = await pool.query<OutboxDbRow>(
    'SELECT id, alert_id, rev, change, subject, body FROM alert_outbox ORDER BY id',
  );
  return rows.map(outboxRow);
}

export async function deleteOutbox(pool: Pool, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query('DELETE FROM alert_outbox WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
}
