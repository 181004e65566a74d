import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Role } from './roles';

export interface SessionUser {
  userId: number;
  username: string;
  role: Role;
  /** The hex of the token's hash: names the session (socket rooms, logout) without revealing the token. */
  sessionId: string;
  expiresAt: Date;
}

const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

/** A new session for a user; returns the token for the cookie. Only its hash is stored. */
export async function createSession(
  pool: Pool,
  userId: number,
  ttlMs: number,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const expiresAt = new Date(Date.now() + ttlMs);
  await pool.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    userId,
    expiresAt,
  ]);
  // Expired sessions of this user go when they log in again; nothing else needs to sweep the table.
  await pool.query('DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()', [userId]);
  return { token, sessionId: tokenHash.toString('hex'), expiresAt };
}

/** The live session behind a token, or undefined when it is unknown, expired or its user disabled. */
export async function findSession(pool: Pool, token: string | undefined): Promise<SessionUser | undefined> {
  if (!token || token.length > 200) return undefined;
  const tokenHash = hashToken(token);
  const { rows } = await pool.query<{ id: string; username: string; role: Role; expires_at: Date }>(
    `SELECT u.id, u.username, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    userId: Number(row.id),
    username: row.username,
    role: row.role,
    sessionId: tokenHash.toString('hex'),
    expiresAt: row.expires_at,
  };
}

export async function deleteSession(pool: Pool, sessionId: string): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE token_hash = $1', [Buffer.from(sessionId, 'hex')]);
}

export async function deleteUserSessions(db: Pool | PoolClient, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}
