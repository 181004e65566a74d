import { z } from 'zod';
import { audit } from '../audit';
import { Role } from '../auth/roles';
import { deleteUserSessions } from '../auth/sessions';
import { createUser, deleteUser, findUser, listUsers, Password, updateUser, Username } from '../auth/users';
import { HttpError, parseInput, readJson, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { inTransaction } from '../transaction';
import { authorize } from './authorize';
import type { ApiContext } from './context';

const NewUser = z.strictObject({ username: Username, password: Password, role: Role });
const UserChange = z
  .strictObject({ password: Password.optional(), role: Role.optional(), disabled: z.boolean().optional() })
  .refine((v) => Object.keys(v).length > 0, 'give at least one of password, role, disabled');

/** Admin only: list, create, change (password, role, disabled) and delete accounts; and read the audit log. */
export function userRoutes(router: Router, api: ApiContext): void {
  router.on('GET', '/api/users', async (c) => {
    await authorize(api, c, 'users:manage');
    sendJson(c.res, 200, { users: await listUsers(api.pool) });
  });

  router.on('POST', '/api/users', async (c) => {
    const admin = await authorize(api, c, 'users:manage');
    const input = parseInput(NewUser, await readJson(c.req), 'user');
    // Each user change commits with its audit entry, or neither does: no change goes unrecorded.
    const user = await inTransaction(api.pool, async (db) => {
      const created = await createUser(db, input);
      if (!created) throw new HttpError(409, `user ${input.username} exists already`);
      await audit(db, {
        actor: admin.username,
        action: 'user-create',
        target: created.username,
        ip: c.ip,
        detail: { role: created.role },
      });
      return created;
    });
    sendJson(c.res, 201, user);
  });

  router.on('GET', '/api/users/:username', async (c) => {
    await authorize(api, c, 'users:manage');
    const user = await findUser(api.pool, c.params.username ?? '');
    if (!user) throw new HttpError(404, `no user ${c.params.username}`);
    sendJson(c.res, 200, user);
  });

  router.on('PATCH', '/api/users/:username', async (c) => {
    const admin = await authorize(api, c, 'users:manage');
    const change = parseInput(UserChange, await readJson(c.req), 'user change');
    const username = c.params.username ?? '';
    if (username === admin.username && (change.disabled || (change.role && change.role !== 'admin'))) {
      throw new HttpError(409, 'an admin cannot disable or demote themself');
    }
    // A new password, role or a disable ends the user's sessions, so the change holds at once.
    const endsSessions = username !== admin.username || change.password !== undefined;
    const user = await inTransaction(api.pool, async (db) => {
      const updated = await updateUser(db, username, change);
      if (!updated) throw new HttpError(404, `no user ${username}`);
      if (endsSessions) await deleteUserSessions(db, updated.id);
      await audit(db, {
        actor: admin.username,
        action: 'user-update',
        target: username,
        ip: c.ip,
        detail: {
          role: change.role,
          disabled: change.disabled,
          password: change.password ? 'changed' : undefined,
        },
      });
      return updated;
    });
    if (endsSessions) api.disconnect(`user:${user.id}`);
    sendJson(c.res, 200, user);
  });

  router.on('DELETE', '/api/users/:username', async (c) => {
    const admin = await authorize(api, c, 'users:manage');
    const username = c.params.username ?? '';
    if (username === admin.username) throw new HttpError(409, 'an admin cannot delete themself');
    const user = await findUser(api.pool, username);
    if (!user) throw new HttpError(404, `no user ${username}`);
    await inTransaction(api.pool, async (db) => {
      if (!(await deleteUser(db, username))) throw new HttpError(404, `no user ${username}`);
      await audit(db, { actor: admin.username, action: 'user-delete', target: username, ip: c.ip });
    });
    api.disconnect(`user:${user.id}`);
    sendJson(c.res, 204, undefined);
  });

  const AuditQuery = z.strictObject({
    actor: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    // Keyset paging: entries older (smaller id) than the last one of the previous page. Ids only grow, so a
    // page never repeats or skips an entry however many are written meanwhile at the top.
    before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  });
  router.on('GET', '/api/audit', async (c) => {
    await authorize(api, c, 'audit:read');
    const q = parseInput(AuditQuery, Object.fromEntries(c.query), 'query');
    const { rows } = await api.pool.query<{ id: number }>(
      `SELECT id::int, actor, action, target, ip, detail, at FROM audit_log
       WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
         AND ($4::bigint IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $3`,
      [q.actor ?? null, q.action ?? null, q.limit, q.before ?? null],
    );
    // A full page may have more behind it; a short one is the end.
    const nextBefore = rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null;
    sendJson(c.res, 200, { entries: rows, nextBefore });
  });
}
