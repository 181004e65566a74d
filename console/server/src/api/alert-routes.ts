import { z } from 'zod';
import { getAlert, listAlerts } from '../alerts/alert-queries';
import { OUTCOMES, type ActionKind, type ActionRequest } from '../alerts/alert-actions';
import { evidenceEvents, listEvents } from '../alerts/event-queries';
import { insertSilence, liftSilence } from '../alerts/silences';
import { audit } from '../audit';
import { may } from '../auth/roles';
import { findUser, listUsers, Username } from '../auth/users';
import { HttpError, parseInput, readJson, sendJson } from '../http/respond';
import type { RequestContext, Router } from '../http/router';
import { inTransaction } from '../transaction';
import { authorize } from './authorize';
import type { ApiContext } from './context';
import { AlertListQuery, EventListQuery } from './list-query';

const Rev = z.number().int().min(1).optional();
const Note = z.string().trim().min(1).max(2000);
const Token = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must match [a-z0-9][a-z0-9-]{0,62}');
/** Silences are bounded: a forgotten one must not hide a sensor for good. */
export const MAX_SILENCE_MIN = 24 * 60;
const Silence = {
  sensorId: Token.optional(),
  rule: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'must be a rule id')
    .optional(),
  durationMin: z.number().int().min(1).max(MAX_SILENCE_MIN),
  reason: z.string().trim().min(3).max(500),
};
const oneTarget = (v: { sensorId?: string; rule?: string }) =>
  (v.sensorId === undefined) !== (v.rule === undefined);
const TARGET_MESSAGE = { message: 'give exactly one of sensorId or rule', path: ['sensorId'] };

const Bodies = {
  acknowledge: z.strictObject({ rev: Rev, note: Note.optional() }),
  assign: z.strictObject({ rev: Rev, assignee: Username.optional(), note: Note.optional() }),
  note: z.strictObject({ rev: Rev, note: Note }),
  resolve: z.strictObject({ rev: Rev, outcome: z.enum(OUTCOMES), note: Note.optional() }),
  silence: z.strictObject({ rev: Rev, ...Silence }).refine(oneTarget, TARGET_MESSAGE),
} as const;

const NewSilence = z.strictObject({ siteId: Token, ...Silence }).refine(oneTarget, TARGET_MESSAGE);

/** Alerts (list, one with history), the actions on them, silences and the sensor-event history. */
export function alertRoutes(router: Router, api: ApiContext): void {
  router.on('GET', '/api/alerts', async (c) => {
    await authorize(api, c, 'alerts:read');
    const q = parseInput(AlertListQuery, Object.fromEntries(c.query), 'query');
    sendJson(c.res, 200, await listAlerts(api.pool, q, api.silences.isSilenced));
  });

  router.on('GET', '/api/alerts/:id', async (c) => {
    const user = await authorize(api, c, 'alerts:read');
    const found = await getAlert(api.pool, c.params.id ?? '', api.silences.isSilenced);
    if (!found) throw new HttpError(404, `no alert ${c.params.id}`);
    // The detail names detainees (pseudonymous ids): a view of detainee-level data, audited.
    await audit(api.pool, {
      actor: user.username,
      action: 'view-alert',
      target: found.alert.alertId,
      ip: c.ip,
    });
    sendJson(c.res, 200, found);
  });

  // The sensor events behind an alert, for its evidence timeline; they may carry detainee ids (searches, roster).
  router.on('GET', '/api/alerts/:id/evidence', async (c) => {
    const user = await authorize(api, c, 'alerts:read');
    const found = await getAlert(api.pool, c.params.id ?? '', api.silences.isSilenced);
    if (!found) throw new HttpError(404, `no alert ${c.params.id}`);
    const events = await evidenceEvents(api.pool, found.alert.evidence);
    await audit(api.pool, {
      actor: user.username,
      action: 'view-evidence',
      target: found.alert.alertId,
      ip: c.ip,
      detail: { count: events.length },
    });
    sendJson(c.res, 200, { events });
  });

  // The site models, for the console's wing board and site plans (airspace, footprints, zones, sensors).
  router.on('GET', '/api/sites', async (c) => {
    await authorize(api, c, 'alerts:read');
    sendJson(c.res, 200, { sites: [...api.sites.values()].map((s) => s.site) });
  });

  router.on('GET', '/api/events', async (c) => {
    const user = await authorize(api, c, 'events:read');
    const q = parseInput(EventListQuery, Object.fromEntries(c.query), 'query');
    const page = await listEvents(api.pool, q);
    // Events carry detainee ids (roster, searches): every view of them is audited.
    await audit(api.pool, {
      actor: user.username,
      action: 'view-events',
      ip: c.ip,
      detail: { query: { ...q, cursor: undefined }, count: page.events.length },
    });
    sendJson(c.res, 200, page);
  });

  for (const action of Object.keys(Bodies) as ActionKind[]) {
    router.on('POST', `/api/alerts/:id/${action}`, (c) => act(api, c, action));
  }

  // Who an alert can be assigned to, for the operator's picker: active users whose role handles alerts.
  router.on('GET', '/api/assignees', async (c) => {
    await authorize(api, c, 'alerts:act');
    const users = (await listUsers(api.pool)).filter((u) => !u.disabled && may(u.role, 'alerts:act'));
    sendJson(c.res, 200, { users: users.map(({ username, role }) => ({ username, role })) });
  });

  router.on('GET', '/api/silences', async (c) => {
    await authorize(api, c, 'alerts:read');
    await api.silences.refresh();
    sendJson(c.res, 200, { silences: api.silences.list() });
  });

  router.on('POST', '/api/silences', async (c) => {
    const user = await authorize(api, c, 'alerts:act');
    const input = parseInput(NewSilence, await readJson(c.req), 'silence');
    const silence = await inTransaction(api.pool, async (client) => {
      const inserted = await insertSilence(client, {
        ...input,
        by: user.username,
        untilMs: Date.now() + input.durationMin * 60_000,
      });
      await audit(client, {
        actor: user.username,
        action: 'silence',
        target: input.sensorId ? `sensor:${input.sensorId}` : `rule:${input.rule}`,
        ip: c.ip,
        detail: {
          silenceId: inserted.id,
          siteId: input.siteId,
          durationMin: input.durationMin,
          reason: input.reason,
        },
      });
      return inserted;
    });
    await api.silences.refresh();
    sendJson(c.res, 201, silence);
  });

  router.on('DELETE', '/api/silences/:id', async (c) => {
    const user = await authorize(api, c, 'alerts:act');
    const id = parseInput(z.coerce.number().int().min(1), c.params.id, 'silence id');
    const lifted = await liftSilence(api.pool, id, user.username);
    if (!lifted) throw new HttpError(404, `no active silence ${id}`);
    await audit(api.pool, {
      actor: user.username,
      action: 'silence-lift',
      target: `silence:${id}`,
      ip: c.ip,
    });
    await api.silences.refresh();
    sendJson(c.res, 200, lifted);
  });
}

async function act(api: ApiContext, c: RequestContext, action: ActionKind): Promise<void> {
  const user = await authorize(api, c, 'alerts:act');
  const body = parseInput(Bodies[action], await readJson(c.req), `${action} request`) as {
    rev?: number;
    note?: string;
    assignee?: string;
    outcome?: (typeof OUTCOMES)[number];
    sensorId?: string;
    rule?: string;
    durationMin?: number;
    reason?: string;
  };
  const request: ActionRequest = {
    alertId: c.params.id ?? '',
    action,
    actor: user.username,
    ip: c.ip,
    expectedRev: body.rev,
    detail: { ...(body.note && { note: body.note }) },
  };
  if (action === 'assign') {
    // To self when no one is named; anyone else must be an account that can act on alerts.
    const assignee = body.assignee ?? user.username;
    const target = await findUser(api.pool, assignee);
    if (!target || target.disabled) throw new HttpError(400, `no active user ${assignee} to assign to`);
    if (target.role !== 'operator' && target.role !== 'admin') {
      throw new HttpError(400, `user ${assignee} is ${target.role} and cannot handle alerts`);
    }
    request.assignee = assignee;
    request.detail.assignee = assignee;
  }
  if (action === 'resolve') {
    request.outcome = body.outcome;
    request.detail.outcome = body.outcome;
  }
  if (action === 'silence') {
    request.detail.reason = body.reason;
    request.extra = async (db, alert) => {
      if (body.sensorId && !alert.sensorIds.includes(body.sensorId)) {
        throw new HttpError(400, 'invalid silence request', [
          { path: 'sensorId', message: `sensor ${body.sensorId} is not one of this alert's sensors` },
        ]);
      }
      const silence = await insertSilence(db, {
        siteId: alert.siteId,
        sensorId: body.sensorId,
        rule: body.rule,
        reason: body.reason ?? '',
        by: user.username,
        untilMs: Date.now() + (body.durationMin ?? 0) * 60_000,
      });
      return { silenceId: silence.id, sensorId: silence.sensorId, rule: silence.rule, until: silence.until };
    };
  }
  const result = await api.actions.apply(request);
  api.metrics.actions.inc({ action });
  if (action === 'silence') await api.silences.refresh();
  sendJson(c.res, 200, {
    alert: result.alert,
    console: {
      ...(result.assignee && { assignee: result.assignee }),
      silenced: api.silences.isSilenced(result.alert),
    },
    detail: result.detail,
  });
}
