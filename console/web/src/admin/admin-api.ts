// The console server's admin API (console/server/README.md: users and the audit log), through the app's client.
import { request } from '../api';
import type { Role } from '../types';

export const ROLES: readonly Role[] = ['operator', 'analyst', 'tester', 'admin'];

export const isAdmin = (role: Role): boolean => role === 'admin';

/** An account as `GET /api/users` gives it (no password hash, no last login: the API keeps neither out). */
export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserChange {
  password?: string;
  role?: Role;
  disabled?: boolean;
}

export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
  at: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next page; null when this page was the last. */
  nextBefore: number | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  limit?: number;
  before?: number;
}

/** Actions the console writes to the log, offered as suggestions in the filter (the field takes any text). */
export const AUDIT_ACTIONS = [
  'login',
  'login-failed',
  'login-throttled',
  'logout',
  'user-create',
  'user-update',
  'user-delete',
  'site-validate',
  'admin-created',
  'admin-password-set',
  'silence',
  'silence-lift',
  'view-alert',
  'view-evidence',
  'view-events',
  'view-detainee-timeline',
] as const;

export function auditPath(q: AuditQuery): string {
  const p = new URLSearchParams();
  if (q.actor?.trim()) p.set('actor', q.actor.trim());
  if (q.action?.trim()) p.set('action', q.action.trim());
  if (q.limit) p.set('limit', String(q.limit));
  if (q.before) p.set('before', String(q.before));
  const s = p.toString();
  return s ? `/api/audit?${s}` : '/api/audit';
}

const userPath = (username: string) => `/api/users/${encodeURIComponent(username)}`;

export const adminApi = {
  users: () => request<{ users: User[] }>('GET', '/api/users'),
  createUser: (user: { username: string; password: string; role: Role }) =>
    request<User>('POST', '/api/users', user),
  updateUser: (username: string, change: UserChange) => request<User>('PATCH', userPath(username), change),
  deleteUser: (username: string) => request<void>('DELETE', userPath(username)),
  audit: (q: AuditQuery) => request<AuditPage>('GET', auditPath(q)),
};
