import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import { may, type Capability } from '../auth/roles';
import { findSession, type SessionUser } from '../auth/sessions';
import { HttpError } from '../http/respond';
import type { RequestContext } from '../http/router';
import type { ApiContext } from './context';

/** The signed-in user of a request, who must have the capability: 401 without a session, 403 without the role. */
export async function authorize(
  api: ApiContext,
  c: RequestContext,
  capability?: Capability,
): Promise<SessionUser> {
  const user = await findSession(api.pool, readCookie(c.req.headers.cookie, SESSION_COOKIE));
  if (!user) throw new HttpError(401, 'not signed in (POST /api/session first)');
  if (capability && !may(user.role, capability)) {
    throw new HttpError(403, `role ${user.role} may not do this (needs ${capability})`);
  }
  return user;
}
