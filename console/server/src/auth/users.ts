import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { hashPassword } from './passwords';
import type { Role } from './roles';

export const Username = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'must be 1-64 of a-z, 0-9, ".", "_", "-", starting with a letter or digit',
  );
export const Password = z.string().min(12, 'must be at least 12 characters').max(1024);

export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, username, role, disabled, created_at, updated_at';

const toUser = (r: UserRow): User => ({
  id: Number(r.id),
  username: r.username,
  role: r.role,
  disabled: r.disabled,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function listUsers(pool: Pool): Promise<User[]> {
  const { rows } = await pool.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`);
  return rows.map(toUser);
}

export async function findUser(pool: Pool, username: string): Promise<User | undefined> {
  const { rows } = await pool.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
  return rows[0] && toUser(rows[0]);
}

export async function findCredentials(
  pool: Pool,
  username: string,
): Promise<{ id: number; role: Role; disabled: boolean; passwordHash: string } | undefined> {
  const { rows } = await pool.query<{ id: string; role: Role; disabled: boolean; password_hash: string }>(
    'SELECT id, role, disabled, password_hash FROM users WHERE username = $1',
    [username],
  );
  const r = rows[0];
  return r && { id: Number(r.id), role: r.role, disabled: r.disabled, passwordHash: r.password_hash };
}

/** Creates a user; undefined when the name is taken. */
export async function createUser(
  db: Pool | PoolClient,
  input: { username: string; password: string; role: Role },
): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [input.username, await hashPassword(input.password), input.role],
  );
  return rows[0] && toUser(rows[0]);
}

export async function updateUser(
  db: Pool | PoolClient,
  username: string,
  change: { password?: string; role?: Role; disabled?: boolean },
): Promise<User | undefined> {
  const passwordHash = change.password === undefined ? null : await hashPassword(change.password);
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET password_hash = coalesce($2, password_hash), role = coalesce($3, role),
       disabled = coalesce($4, disabled), updated_at = now()
     WHERE username = $1 RETURNING ${COLUMNS}`,
    [username, passwordHash, change.role ?? null, change.disabled ?? null],
  );
  return rows[0] && toUser(rows[0]);
}

export async function deleteUser(db: Pool | PoolClient, username: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM users WHERE username = $1', [username]);
  return (rowCount ?? 0) > 0;
}

/** Sets the admin's password, creating the admin (and re-enabling it) as needed. */
export async function setAdminPassword(pool: Pool, password: string): Promise<void> {
  await pool.query(
    `INSERT INTO users (username, password_hash, role) VALUES ('admin', $1, 'admin')
     ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin',
       disabled = false, updated_at = now()`,
    [await hashPassword(password)],
  );
}
