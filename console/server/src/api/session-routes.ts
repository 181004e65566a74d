import { z } from 'zod';
import { audit } from '../audit';
import { clearedSessionCookie, sessionCookie } from '../auth/cookies';
import { dummyVerify, verifyPassword } from '../auth/passwords';
import { createSession, deleteSession } from '../auth/sessions';
import { findCredentials } from '../auth/users';
import { HttpError, parseInput, readJson, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { authorize } from './authorize';
import type { ApiContext } from './context';

const Login = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** POST /api/session (log in), GET (who am I), DELETE (log out). */
export function sessionRoutes(router: Router, api: ApiContext): void {
  router.on('POST', '/api/session', async (c) => {
    const { username, password } = parseInput(Login, await readJson(c.req), 'login');
    const { waitMs, by } = api.rateLimit.check(username, c.ip);
    if (waitMs > 0) {
      api.metrics.logins.inc({ result: 'throttled' });
      // Once per lockout: refused attempts cost nothing to send, so one row each would let anyone flood the log.
      if (api.rateLimit.firstRefusal(username, c.ip, by)) {
        await audit(api.pool, {
          actor: username,
          action: 'login-throttled',
          ip: c.ip,
          ...(by === 'address' && { detail: { by } }),
        });
      }
      const seconds = Math.ceil(waitMs / 1000);
      const from = by === 'address' ? ' from this address' : '';
      throw new HttpError(429, `too many failed logins${from}; try again in ${seconds} s`, undefined, {
        'retry-after': String(seconds),
      });
    }
    // Counted as a failure before the password is checked (in the same tick as the check above), so guesses
    // sent in parallel cannot all pass the limit while the first ones are still being verified.
    api.rateLimit.fail(username, c.ip);
    const user = await findCredentials(api.pool, username);
    const ok = user ? await verifyPassword(user.passwordHash, password) : await dummyVerify(password);
    if (!user || !ok || user.disabled) {
      api.metrics.logins.inc({ result: 'failed' });
      const reason = !user ? 'unknown user' : !ok ? 'wrong password' : 'disabled';
      await audit(api.pool, { actor: username, action: 'login-failed', ip: c.ip, detail: { reason } });
      // One message for every reason: the answer must not tell which usernames exist.
      throw new HttpError(401, 'wrong username or password');
    }
    api.rateLimit.succeed(username, c.ip);
    api.metrics.logins.inc({ result: 'ok' });
    const session = await createSession(api.pool, user.id, api.config.console.sessionTtlMs);
    await audit(api.pool, { actor: username, action: 'login', ip: c.ip });
    sendJson(
      c.res,
      200,
      { username, role: user.role, expiresAt: session.expiresAt.toISOString() },
      {
        'set-cookie': sessionCookie(
          session.token,
          api.config.console.sessionTtlMs / 1000,
          api.config.console.secureCookies,
        ),
      },
    );
  });

  router.on('GET', '/api/session', async (c) => {
    const user = await authorize(api, c);
    sendJson(c.res, 200, {
      username: user.username,
      role: user.role,
      expiresAt: user.expiresAt.toISOString(),
    });
  });

  router.on('DELETE', '/api/session', async (c) => {
    const user = await authorize(api, c);
    await deleteSession(api.pool, user.sessionId);
    await audit(api.pool, { actor: user.username, action: 'logout', ip: c.ip });
    api.disconnect(`session:${user.sessionId}`);
    sendJson(c.res, 204, undefined, { 'set-cookie': clearedSessionCookie(api.config.console.secureCookies) });
  });
}
