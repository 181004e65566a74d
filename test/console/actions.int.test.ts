import type { Alert } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectLive,
  makeAlert,
  startConsoleHarness,
  storeAlertRows,
  streamRevision,
  type ConsoleHarness,
  type RunningConsole,
} from '../support/console';
import { waitFor } from '../support/harness';

let h: ConsoleHarness;
let server: RunningConsole;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole();
  for (const [name, role] of [
    ['olga', 'operator'],
    ['otto', 'operator'],
    ['anna', 'analyst'],
    ['tess', 'tester'],
  ] as const) {
    await h.addUser(name, role);
    cookies[name] = await h.login(server.base, name);
  }
  cookies.admin = await h.login(server.base, 'admin');
});
afterAll(() => h?.close());

type ActionAnswer = {
  alert: Alert;
  console: { assignee?: string; silenced: boolean };
  detail: Record<string, unknown>;
};

const act = (who: string, alertId: string, action: string, body: unknown) =>
  h.api<ActionAnswer & { error?: string; issues?: unknown[] }>(
    server.base,
    cookies[who],
    'POST',
    `/api/alerts/${encodeURIComponent(alertId)}/${action}`,
    body,
  );

/** The stored state after an action: alerts row, history row, action row, audit entry and the stream copy. */
async function expectRevision(alertId: string, rev: number, action: string, actor: string) {
  const current = await h.pool.query<{ rev: number; body: Alert }>(
    'SELECT rev, body FROM alerts WHERE alert_id = $1',
    [alertId],
  );
  expect(current.rows[0]?.rev).toBe(rev);
  expect(current.rows[0]?.body.rev).toBe(rev);
  const history = await h.pool.query<{ rev: number; change: string }>(
    'SELECT rev, change FROM alert_history WHERE alert_id = $1 ORDER BY rev',
    [alertId],
  );
  expect(history.rows.map((r) => r.rev)).toEqual(Array.from({ length: rev }, (_, i) => i + 1));
  const actions = await h.pool.query<{ action: string; actor: string }>(
    'SELECT action, actor FROM alert_actions WHERE alert_id = $1 AND rev = $2',
    [alertId, rev],
  );
  expect(actions.rows).toEqual([{ action, actor }]);
  const audit = await h.pool.query<{ detail: { rev: number } }>(
    'SELECT detail FROM audit_log WHERE actor = $1 AND action = $2 AND target = $3',
    [actor, action, alertId],
  );
  expect(audit.rows.map((r) => r.detail.rev)).toContain(rev);
  const published = await streamRevision(h.nc, alertId, rev);
  expect(published?.alert).toEqual(current.rows[0]?.body);
  expect(published?.headers['Wachtpost-Action']).toBe(action);
  expect(published?.headers['Nats-Msg-Id']).toBe(`${alertId}:${rev}`);
  // Published, so the outbox row is gone.
  expect((await h.pool.query('SELECT 1 FROM alert_outbox WHERE alert_id = $1', [alertId])).rowCount).toBe(0);
  return published!.alert;
}

describe('operator actions: a new revision stored, published on ALERTS and audited', () => {
  it('acknowledge: open -> acknowledged, rev 2', async () => {
    const alert = makeAlert();
    await h.seedAlert(alert);
    const res = await act('olga', alert.alertId, 'acknowledge', { rev: 1 });
    expect(res.status).toBe(200);
    expect(res.body.alert).toMatchObject({ rev: 2, status: 'acknowledged', alertId: alert.alertId });
    const published = await expectRevision(alert.alertId, 2, 'acknowledge', 'olga');
    expect(published).not.toHaveProperty('assignee');
    // The same alert cannot be acknowledged twice, and a stale rev is refused.
    expect((await act('olga', alert.alertId, 'acknowledge', {})).status).toBe(409);
    expect((await act('olga', alert.alertId, 'note', { rev: 1, note: 'late' })).status).toBe(409);
  });

  it('assign: to self by default, or to another operator; kept beside the Alert, never in it', async () => {
    const alert = makeAlert();
    await h.seedAlert(alert);
    const self = await act('olga', alert.alertId, 'assign', {});
    expect(self.body.console.assignee).toBe('olga');
    await expectRevision(alert.alertId, 2, 'assign', 'olga');
    const other = await act('olga', alert.alertId, 'assign', { assignee: 'otto', note: 'your wing' });
    expect(other.status).toBe(200);
    expect(other.body.console.assignee).toBe('otto');
    expect(other.body.alert).not.toHaveProperty('assignee');
    const published = await streamRevision(h.nc, alert.alertId, 3);
    expect(published?.headers['Wachtpost-Assignee']).toBe('otto');
    // Only an active operator or admin can hold an alert.
    expect((await act('olga', alert.alertId, 'assign', { assignee: 'anna' })).status).toBe(400);
    expect((await act('olga', alert.alertId, 'assign', { assignee: 'ghost' })).status).toBe(400);
    const detail = await h.api<{ history: { rev: number; action?: { detail: Record<string, unknown> } }[] }>(
      server.base,
      cookies.olga,
      'GET',
      `/api/alerts/${alert.alertId}`,
    );
    expect(detail.body.history.map((r) => r.rev)).toEqual([1, 2, 3]);
    expect(detail.body.history[2]?.action?.detail).toEqual({ assignee: 'otto', note: 'your wing' });
  });

  it('the detail history marks a revision raised from late evidence, its blind sensors and when it was stored', async () => {
    // Raised at 35 minutes past its evidence: a gateway forwarding what it buffered during an outage.
    const evidenceAt = new Date(Date.now() - 35 * 60_000).toISOString();
    const alert = makeAlert({ openedAt: evidenceAt, updatedAt: evidenceAt });
    const before = Date.now();
    await storeAlertRows(h.pool, alert, { late: true, incomplete: ['gsm-a-1'] });
    const detail = await h.api<{ history: Record<string, unknown>[] }>(
      server.base,
      cookies.anna,
      'GET',
      `/api/alerts/${alert.alertId}`,
    );
    expect(detail.body.history).toEqual([
      expect.objectContaining({ rev: 1, updatedAt: evidenceAt, late: true, incomplete: ['gsm-a-1'] }),
    ]);
    expect(Date.parse(detail.body.history[0]!.storedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    // An on-time revision carries neither mark.
    const onTime = makeAlert();
    await storeAlertRows(h.pool, onTime);
    const plain = await h.api<{ history: Record<string, unknown>[] }>(
      server.base,
      cookies.anna,
      'GET',
      `/api/alerts/${onTime.alertId}`,
    );
    expect(plain.body.history[0]).not.toHaveProperty('late');
    expect(plain.body.history[0]).not.toHaveProperty('incomplete');
  });

  it('note: a revision with the note in the history; the status stays', async () => {
    const alert = makeAlert();
    await h.seedAlert(alert);
    const res = await act('otto', alert.alertId, 'note', { note: 'Camera 4 shows nothing.' });
    expect(res.body.alert).toMatchObject({ rev: 2, status: 'open' });
    await expectRevision(alert.alertId, 2, 'note', 'otto');
    const detail = await h.api<{ history: { action?: { detail: { note?: string } } }[] }>(
      server.base,
      cookies.anna,
      'GET',
      `/api/alerts/${alert.alertId}`,
    );
    expect(detail.body.history[1]?.action?.detail.note).toBe('Camera 4 shows nothing.');
  });

  it('resolve with each outcome: resolved, the outcome stored, and no second resolve', async () => {
    for (const outcome of ['confirmed', 'false-positive', 'duplicate', 'search-ordered']) {
      const alert = makeAlert();
      await h.seedAlert(alert);
      const res = await act('olga', alert.alertId, 'resolve', { outcome, note: 'checked' });
      expect(res.body.alert).toMatchObject({ rev: 2, status: 'resolved' });
      await expectRevision(alert.alertId, 2, 'resolve', 'olga');
      const stored = await h.pool.query<{ detail: { outcome: string } }>(
        'SELECT detail FROM alert_actions WHERE alert_id = $1',
        [alert.alertId],
      );
      expect(stored.rows[0]?.detail.outcome).toBe(outcome);
      const outcomes = await h.pool.query('SELECT result FROM alert_outcomes WHERE alert_id = $1', [
        alert.alertId,
      ]);
      expect(outcomes.rows).toEqual([{ result: 'operator' }]);
      expect((await act('olga', alert.alertId, 'resolve', { outcome })).status).toBe(409);
    }
  });

  it('silence a sensor or a rule for a bounded time with a reason; silenced alerts say so', async () => {
    const alert = makeAlert({ sensorIds: ['gsm-b-1'], rule: 'persistent-phone', wingId: 'b' });
    await h.seedAlert(alert);
    const res = await act('olga', alert.alertId, 'silence', {
      sensorId: 'gsm-b-1',
      durationMin: 60,
      reason: 'maintenance on the B antenna',
    });
    expect(res.status).toBe(200);
    expect(res.body.console.silenced).toBe(true);
    expect(res.body.detail).toMatchObject({ sensorId: 'gsm-b-1', reason: 'maintenance on the B antenna' });
    await expectRevision(alert.alertId, 2, 'silence', 'olga');
    const silences = await h.api<{ silences: { id: number; sensorId: string; until: string }[] }>(
      server.base,
      cookies.olga,
      'GET',
      '/api/silences',
    );
    const silence = silences.body.silences.find((s) => s.sensorId === 'gsm-b-1')!;
    expect(Date.parse(silence.until) - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    const list = await h.api<{ alerts: { alert: Alert; console: { silenced: boolean } }[] }>(
      server.base,
      cookies.olga,
      'GET',
      '/api/alerts?wingId=b',
    );
    expect(list.body.alerts.find((a) => a.alert.alertId === alert.alertId)?.console.silenced).toBe(true);
    // Bounded: at most 24 h, a reason, exactly one target, a sensor of this alert.
    expect(
      (
        await act('olga', alert.alertId, 'silence', {
          sensorId: 'gsm-b-1',
          durationMin: 24 * 60 + 1,
          reason: 'long',
        })
      ).status,
    ).toBe(400);
    expect(
      (await act('olga', alert.alertId, 'silence', { rule: 'persistent-phone', durationMin: 10 })).status,
    ).toBe(400);
    expect(
      (
        await act('olga', alert.alertId, 'silence', {
          rule: 'x',
          sensorId: 'gsm-b-1',
          durationMin: 10,
          reason: 'both',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await act('olga', alert.alertId, 'silence', {
          sensorId: 'radar-9',
          durationMin: 10,
          reason: 'not here',
        })
      ).status,
    ).toBe(400);
    // A rule silence without an alert, and lifting it, are audited too.
    const ruleSilence = await h.api<{ id: number }>(server.base, cookies.olga, 'POST', '/api/silences', {
      siteId: 'demo',
      rule: 'drone-overflight',
      durationMin: 30,
      reason: 'drone exercise tonight',
    });
    expect(ruleSilence.status).toBe(201);
    expect(
      (await h.api(server.base, cookies.olga, 'DELETE', `/api/silences/${ruleSilence.body.id}`)).status,
    ).toBe(200);
    const audit = await h.pool.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE actor = 'olga' AND action IN ('silence', 'silence-lift') ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['silence', 'silence', 'silence-lift']);
  });

  it('answers 4xx with a clear message on bad input and unknown alerts', async () => {
    const alert = makeAlert();
    await h.seedAlert(alert);
    expect((await act('olga', 'demo:none', 'acknowledge', {})).status).toBe(404);
    const badOutcome = await act('olga', alert.alertId, 'resolve', { outcome: 'solved' });
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.body.issues).toEqual([expect.objectContaining({ path: 'outcome' })]);
    expect((await act('olga', alert.alertId, 'note', { note: '   ' })).status).toBe(400);
    expect((await act('olga', alert.alertId, 'note', { note: 'x', extra: 1 })).status).toBe(400);
    expect((await act('olga', alert.alertId, 'acknowledge', { rev: 'two' })).status).toBe(400);
    expect((await act('olga', alert.alertId, 'escalate', {})).status).toBe(404);
    const query = await h.api(
      server.base,
      cookies.olga,
      'GET',
      '/api/alerts?status=closed&limit=9999&colour=red',
    );
    expect(query.status).toBe(400);
    expect((query.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual([
      'colour',
      'limit',
      'status.0',
    ]);
    expect((await h.api(server.base, cookies.olga, 'GET', '/api/alerts?cursor=bm9wZQ')).status).toBe(400);
    expect((await h.api(server.base, cookies.admin, 'GET', '/api/events?from=yesterday')).status).toBe(400);
    // Nothing was changed by the refused requests.
    expect((await h.pool.query('SELECT rev FROM alerts WHERE alert_id = $1', [alert.alertId])).rows).toEqual([
      { rev: 1 },
    ]);
  });
});

describe('assignees', () => {
  it('lists the active users who handle alerts, for operators and admins only', async () => {
    await h.addUser('gone', 'operator');
    await h.pool.query("UPDATE users SET disabled = true WHERE username = 'gone'");
    const res = await h.api<{ users: { username: string; role: string }[] }>(
      server.base,
      cookies.olga,
      'GET',
      '/api/assignees',
    );
    expect(res.status).toBe(200);
    expect(res.body.users).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'olga', role: 'operator' },
      { username: 'otto', role: 'operator' },
    ]);
    expect((await h.api(server.base, cookies.anna, 'GET', '/api/assignees')).status).toBe(403);
    expect((await h.api(server.base, cookies.tess, 'GET', '/api/assignees')).status).toBe(403);
  });
});

describe('roles: each denied what it may not do', () => {
  it('tester: no alerts, no events, no actions, no users', async () => {
    const alert = makeAlert();
    await h.seedAlert(alert);
    for (const [method, path] of [
      ['GET', '/api/alerts'],
      ['GET', `/api/alerts/${alert.alertId}`],
      ['GET', '/api/events'],
      ['GET', '/api/users'],
      ['GET', '/api/audit'],
    ]) {
      expect((await h.api(server.base, cookies.tess, method!, path!)).status, path).toBe(403);
    }
    expect((await act('tess', alert.alertId, 'acknowledge', {})).status).toBe(403);
  });

  it('analyst: reads alerts and events, but may not act on alerts or manage users', async () => {
    const alert = makeAlert();
    await h.seedAlert(alert);
    expect((await h.api(server.base, cookies.anna, 'GET', '/api/alerts')).status).toBe(200);
    expect((await h.api(server.base, cookies.anna, 'GET', '/api/events')).status).toBe(200);
    for (const action of ['acknowledge', 'assign', 'note', 'resolve', 'silence']) {
      expect(
        (await act('anna', alert.alertId, action, { note: 'n', outcome: 'duplicate' })).status,
        action,
      ).toBe(403);
    }
    expect((await h.api(server.base, cookies.anna, 'POST', '/api/silences', {})).status).toBe(403);
    expect((await h.api(server.base, cookies.anna, 'POST', '/api/users', {})).status).toBe(403);
    // An audited view of detainee-level data.
    expect(
      (await h.pool.query("SELECT 1 FROM audit_log WHERE actor = 'anna' AND action = 'view-events'"))
        .rowCount,
    ).toBe(1);
  });

  it('operator: alerts and actions, but no sensor-event history, users or audit log', async () => {
    expect((await h.api(server.base, cookies.olga, 'GET', '/api/events')).status).toBe(403);
    expect((await h.api(server.base, cookies.olga, 'GET', '/api/users')).status).toBe(403);
    expect(
      (await h.api(server.base, cookies.olga, 'PATCH', '/api/users/anna', { role: 'admin' })).status,
    ).toBe(403);
    expect((await h.api(server.base, cookies.olga, 'GET', '/api/audit')).status).toBe(403);
  });

  it('nobody signed in: 401 everywhere', async () => {
    for (const path of ['/api/alerts', '/api/events', '/api/users', '/api/silences', '/api/session']) {
      expect((await h.api(server.base, undefined, 'GET', path)).status, path).toBe(401);
    }
    expect((await h.api(server.base, 'wachtpost_session=forged', 'GET', '/api/alerts')).status).toBe(401);
  });

  it('admin: everything', async () => {
    const alert = makeAlert();
    await h.seedAlert(alert);
    expect((await h.api(server.base, cookies.admin, 'GET', '/api/events')).status).toBe(200);
    expect((await act('admin', alert.alertId, 'acknowledge', {})).status).toBe(200);
    expect((await h.api(server.base, cookies.admin, 'GET', '/api/audit')).status).toBe(200);
  });
});

describe('lists', () => {
  it('pages alerts newest first with an opaque cursor, none missed or repeated, and filters', async () => {
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      // Pairs share a timestamp so the id has to break ties.
      const at = new Date(base + Math.floor(i / 2) * 1000).toISOString();
      const alert = makeAlert({
        siteId: 'list',
        wingId: i % 2 ? 'b' : 'a',
        updatedAt: at,
        openedAt: at,
        status: i % 3 ? 'open' : 'resolved',
      });
      await h.seedAlert(alert);
      ids.push(alert.alertId);
    }
    const seen: string[] = [];
    const order: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { alerts: { alert: Alert }[]; nextCursor: string | null } } = await h.api(
        server.base,
        cookies.olga,
        'GET',
        `/api/alerts?siteId=list&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.alerts.map((a) => a.alert.alertId));
      order.push(...res.body.alerts.map((a) => Date.parse(a.alert.updatedAt)));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(order).toEqual([...order].sort((a, b) => b - a));
    const wingB = await h.api<{ alerts: { alert: Alert }[] }>(
      server.base,
      cookies.olga,
      'GET',
      '/api/alerts?siteId=list&wingId=b&status=open',
    );
    expect(wingB.body.alerts.every((a) => a.alert.wingId === 'b' && a.alert.status === 'open')).toBe(true);
    expect(wingB.body.alerts.length).toBeGreaterThan(0);
    const window = await h.api<{ alerts: { alert: Alert }[] }>(
      server.base,
      cookies.olga,
      'GET',
      `/api/alerts?siteId=list&from=${new Date(base + 10_000).toISOString()}&to=${new Date(base + 12_000).toISOString()}`,
    );
    expect(window.body.alerts).toHaveLength(4);
    const byRule = await h.api<{ alerts: unknown[] }>(
      server.base,
      cookies.olga,
      'GET',
      '/api/alerts?siteId=list&kind=drone-overflight',
    );
    expect(byRule.body.alerts).toHaveLength(0);
  });

  it('pages sensor events with the same parameters', async () => {
    const base = Date.parse('2026-02-01T00:00:00.000Z');
    for (let i = 0; i < 12; i++) {
      const observedAt = new Date(base + i * 1000).toISOString();
      const body = {
        v: 1,
        eventId: `ev-${i}`,
        kind: i % 2 ? 'gsm' : 'heartbeat',
        siteId: 'demo',
        sensorId: 'gsm-a-1',
        observedAt,
      };
      await h.pool.query(
        `INSERT INTO sensor_events (event_id, site_id, kind, sensor_id, observed_at, exercise, wing_id, stream_seq, body)
         VALUES ($1, 'demo', $2, 'gsm-a-1', $3, false, 'a', $4, $5)`,
        [body.eventId, body.kind, observedAt, i + 1, JSON.stringify(body)],
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { events: { eventId: string }[]; nextCursor: string | null } } = await h.api(
        server.base,
        cookies.anna,
        'GET',
        `/api/events?siteId=demo&kind=gsm&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.events.map((e) => e.eventId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['ev-11', 'ev-9', 'ev-7', 'ev-5', 'ev-3', 'ev-1']);
  });

  it("filters sensor events by a heartbeat's status, the contract's status for events", async () => {
    const base = Date.parse('2026-02-02T00:00:00.000Z');
    const statuses = ['ok', 'degraded', 'fault', 'ok', 'fault'];
    for (const [i, status] of statuses.entries()) {
      const observedAt = new Date(base + i * 1000).toISOString();
      const body = {
        v: 1,
        eventId: `hb-${i}`,
        kind: 'heartbeat',
        siteId: 'hbs',
        sensorId: 'rf-1',
        observedAt,
        status,
      };
      await h.pool.query(
        `INSERT INTO sensor_events (event_id, site_id, kind, sensor_id, observed_at, exercise, stream_seq, body)
         VALUES ($1, 'hbs', 'heartbeat', 'rf-1', $2, false, $3, $4)`,
        [body.eventId, observedAt, 100 + i, JSON.stringify(body)],
      );
    }
    const list = async (query: string) => {
      const res = await h.api<{ events: { eventId: string }[] }>(
        server.base,
        cookies.anna,
        'GET',
        `/api/events?siteId=hbs&${query}`,
      );
      return res.status === 200 ? res.body.events.map((e) => e.eventId) : res.status;
    };
    expect(await list('status=fault')).toEqual(['hb-4', 'hb-2']);
    expect(await list('status=degraded,fault&limit=2')).toEqual(['hb-4', 'hb-2']);
    expect(await list('status=ok&kind=gsm')).toEqual([]);
    expect(await list('status=broken')).toBe(400);
  });
});

describe('alert detail', () => {
  it('serves the evidence events and the site models, and audits views of detainee-level data', async () => {
    const alert = makeAlert({ evidence: ['evd-2', 'evd-1', 'evd-missing'] });
    await h.seedAlert(alert);
    for (const [i, id] of ['evd-1', 'evd-2'].entries()) {
      const observedAt = new Date(Date.parse('2026-03-01T00:00:00.000Z') + i * 1000).toISOString();
      const body = { v: 1, eventId: id, kind: 'gsm', siteId: 'demo', sensorId: 'gsm-a-1', observedAt };
      await h.pool.query(
        `INSERT INTO sensor_events (event_id, site_id, kind, sensor_id, observed_at, exercise, stream_seq, body)
         VALUES ($1, 'demo', 'gsm', 'gsm-a-1', $2, false, $3, $4)`,
        [id, observedAt, 1000 + i, JSON.stringify(body)],
      );
    }
    const evidence = await h.api<{ events: { eventId: string }[] }>(
      server.base,
      cookies.olga,
      'GET',
      `/api/alerts/${alert.alertId}/evidence`,
    );
    expect(evidence.body.events.map((e) => e.eventId)).toEqual(['evd-1', 'evd-2']);
    expect((await h.api(server.base, cookies.olga, 'GET', `/api/alerts/${alert.alertId}`)).status).toBe(200);
    const views = await h.pool.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE actor = $1 AND target = $2 ORDER BY id',
      ['olga', alert.alertId],
    );
    expect(views.rows.map((r) => r.action)).toEqual(['view-evidence', 'view-alert']);
    const sites = await h.api<{ sites: { id: string; wings: unknown[] }[] }>(
      server.base,
      cookies.olga,
      'GET',
      '/api/sites',
    );
    expect(sites.body.sites.map((s) => s.id)).toEqual(['demo']);
    expect(sites.body.sites[0]?.wings.length).toBeGreaterThan(0);
    expect((await h.api(server.base, cookies.tess, 'GET', '/api/sites')).status).toBe(403);
    expect(
      (await h.api(server.base, cookies.tess, 'GET', `/api/alerts/${alert.alertId}/evidence`)).status,
    ).toBe(403);
  });
});

describe('when NATS is away', () => {
  it('keeps the committed revision in the outbox and publishes it once NATS is back', async () => {
    const retrying = await h.startConsole({ outboxRetryMs: 300 });
    const cookie = await h.login(retrying.base, 'olga');
    const alert = makeAlert();
    await h.seedAlert(alert);
    const client = await connectLive(retrying.base, cookie);
    await h.nats.kill();
    try {
      const res = await h.api(retrying.base, cookie, 'POST', `/api/alerts/${alert.alertId}/acknowledge`, {});
      expect(res.status).toBe(200);
      const outbox = await h.pool.query('SELECT rev FROM alert_outbox WHERE alert_id = $1', [alert.alertId]);
      expect(outbox.rows).toEqual([{ rev: 2 }]);
    } finally {
      await h.nats.start();
    }
    await waitFor(
      async () =>
        (await h.pool.query('SELECT 1 FROM alert_outbox WHERE alert_id = $1', [alert.alertId])).rowCount ===
        0,
      30_000,
      'the outbox row published',
    );
    // The test's own connection may still be reconnecting to the restarted server: retry the read.
    const published = await waitFor(() => streamRevision(h.nc, alert.alertId, 2), 30_000, 'rev 2 on ALERTS');
    expect(published.alert).toMatchObject({ rev: 2, status: 'acknowledged' });
    expect(published.headers['Wachtpost-Action']).toBe('acknowledge');
    // The server's ALERTS reader came back with NATS and pushed the revision.
    await waitFor(
      async () => client.pushes.some((p) => p.alert.alertId === alert.alertId && p.alert.rev === 2),
      30_000,
      'the revision pushed after NATS returned',
    );
    client.close();
    const metrics = await (await fetch(`${retrying.base}/metrics`)).text();
    expect(metrics).toMatch(/wachtpost_console_actions_total\{action="acknowledge"\} [1-9]/);
    expect(metrics).toMatch(/wachtpost_console_logins_total\{result="ok"\} [1-9]/);
    await retrying.stop();
  });
});
