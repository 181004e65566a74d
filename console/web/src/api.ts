// The console server's HTTP API: JSON in and out, the session cookie sent same-origin, errors typed.
import type {
  AlertDetail,
  AlertEntry,
  AlertPage,
  Outcome,
  Role,
  SensorEvent,
  Session,
  SiteModel,
} from './types';

export interface Issue {
  path: string;
  message: string;
}

/** A non-2xx answer, carrying the server's `{ error, issues }` so the page can show it as it is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called on every 401, so the app can return to the login page when a session ends. */
let onUnauthorized: (() => void) | undefined;
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, `the console server cannot be reached (${(err as Error).message})`);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json ?? {}) as { error?: unknown; issues?: unknown };
    const message = typeof e.error === 'string' ? e.error : `${res.status} ${res.statusText || 'error'}`;
    const issues = Array.isArray(e.issues) ? (e.issues as Issue[]) : [];
    // A failed login is a 401 too, but it is not a session that ended.
    if (res.status === 401 && path !== '/api/session') onUnauthorized?.();
    throw new ApiError(res.status, message, issues);
  }
  if (json === undefined) throw new ApiError(res.status, `the server's answer to ${path} is not JSON`);
  return json as T;
}

export interface AlertQuery {
  status?: string[];
  siteId?: string;
  wingId?: string;
  limit?: number;
  cursor?: string;
}

function query(q: AlertQuery): string {
  const p = new URLSearchParams();
  if (q.status?.length) p.set('status', q.status.join(','));
  if (q.siteId) p.set('siteId', q.siteId);
  if (q.wingId) p.set('wingId', q.wingId);
  if (q.limit) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const alertPath = (alertId: string) => `/api/alerts/${encodeURIComponent(alertId)}`;

export type ActionBody =
  | { action: 'acknowledge'; note?: string }
  | { action: 'assign'; assignee?: string; note?: string }
  | { action: 'note'; note: string }
  | { action: 'resolve'; outcome: Outcome; note?: string }
  | { action: 'silence'; sensorId?: string; rule?: string; durationMin: number; reason: string };

export const api = {
  login: (username: string, password: string) =>
    request<Session>('POST', '/api/session', { username, password }),
  session: () => request<Session>('GET', '/api/session'),
  logout: () => request<void>('DELETE', '/api/session'),
  listAlerts: (q: AlertQuery) => request<AlertPage>('GET', `/api/alerts${query(q)}`),
  alert: (alertId: string) => request<AlertDetail>('GET', alertPath(alertId)),
  evidence: (alertId: string) => request<{ events: SensorEvent[] }>('GET', `${alertPath(alertId)}/evidence`),
  sites: () => request<{ sites: SiteModel[] }>('GET', '/api/sites'),
  /** Active users who handle alerts: the names offered when assigning. */
  assignees: () => request<{ users: { username: string; role: Role }[] }>('GET', '/api/assignees'),
  /** Every action carries the rev the operator saw; the server answers 409 if the alert moved on. */
  act: (alertId: string, rev: number, { action, ...body }: ActionBody) =>
    request<AlertEntry>('POST', `${alertPath(alertId)}/${action}`, { rev, ...body }),
};

/** Follows `nextCursor` until the last page, or `maxPages`; hands each page over as it arrives. */
export async function pageAlerts(
  q: AlertQuery,
  onPage: (alerts: AlertEntry[]) => void,
  maxPages = Infinity,
): Promise<void> {
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { alerts, nextCursor } = await api.listAlerts({ ...q, limit: q.limit ?? 500, cursor });
    onPage(alerts);
    if (!nextCursor) return;
    cursor = nextCursor;
  }
}
