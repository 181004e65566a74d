// Test doubles at the module boundary: a fake `fetch` answering like the console server, a fake socket.io
// socket the test drives, and fixtures. Only for component tests; the real server is covered by e2e tests.
import { act, cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Alert, AlertDetail, AlertEntry, SensorEvent, Session, SiteModel } from './types';

let nextId = 0;
export function makeAlert(patch: Partial<Alert> = {}): Alert {
  nextId++;
  return {
    v: 1,
    alertId: `al-${nextId}`,
    rev: 1,
    rule: 'gsm-burst',
    severity: 'medium',
    status: 'open',
    siteId: 'demo',
    wingId: 'a',
    cellIds: [],
    detaineeIds: [],
    sensorIds: ['gsm-a-1'],
    title: `Alert ${nextId}`,
    summary: 'something happened',
    firstEventAt: '2026-03-01T02:00:00.000Z',
    lastEventAt: '2026-03-01T02:00:00.000Z',
    count: 1,
    evidence: [],
    openedAt: '2026-03-01T02:00:00.000Z',
    updatedAt: '2026-03-01T02:00:00.000Z',
    exercise: false,
    ...patch,
  };
}

export const entry = (patch: Partial<Alert> = {}): AlertEntry => ({ alert: makeAlert(patch), console: {} });

export const SITE: SiteModel = {
  id: 'demo',
  name: 'PI Demo',
  timezone: 'Europe/Amsterdam',
  airspace: [
    [51.664, 5.284],
    [51.664, 5.296],
    [51.656, 5.296],
    [51.656, 5.284],
  ],
  wings: [
    {
      id: 'a',
      name: 'Afdeling A',
      regime: 'regular',
      footprint: [
        [51.6615, 5.286],
        [51.6615, 5.288],
        [51.6625, 5.288],
        [51.6625, 5.286],
      ],
      cells: ['a-01', 'a-02', 'a-03', 'a-04'],
    },
    { id: 'b', name: 'Afdeling B', regime: 'hvb', cells: ['b-01', 'b-02'] },
  ],
  zones: [
    { id: 'a-corridor', type: 'corridor', wingIds: ['a'] },
    {
      id: 'yard-1',
      type: 'yard',
      wingIds: ['a', 'b'],
      polygon: [
        [51.66, 5.287],
        [51.66, 5.2895],
        [51.661, 5.2895],
        [51.661, 5.287],
      ],
    },
  ],
  sensors: [
    { id: 'gsm-a-1', kind: 'gsm', zoneIds: ['a-01', 'a-corridor'], heartbeatIntervalS: 30 },
    { id: 'gsm-b-1', kind: 'gsm', zoneIds: ['b-01'], heartbeatIntervalS: 30 },
    { id: 'radar-1', kind: 'drone', zoneIds: [], heartbeatIntervalS: 10 },
  ],
  allowlist: { deviceKeys: [] },
};

// ---- fetch ----

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

type Answer = { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;
type Handler = (call: Call, match: RegExpExecArray) => Answer;

export interface FakeServer {
  calls: Call[];
  session: Session | null;
  alerts: AlertEntry[];
  sites: SiteModel[];
  details: Map<string, AlertDetail>;
  evidence: Map<string, SensorEvent[]>;
  /** Checked before the defaults: the first route whose method and pattern match answers. */
  routes: { method: string; pattern: RegExp; handler: Handler }[];
  on: (method: string, pattern: RegExp, handler: Handler) => void;
}

const json = (status: number, body?: unknown) => ({ status, body });

/** Installs a fake `fetch` answering like the console server from the state in the returned object. */
export function fakeServer(init: Partial<Pick<FakeServer, 'session' | 'alerts' | 'sites'>> = {}): FakeServer {
  const server: FakeServer = {
    calls: [],
    session:
      init.session === undefined
        ? { username: 'olga', role: 'operator', expiresAt: '2099-01-01T00:00:00Z' }
        : init.session,
    alerts: init.alerts ?? [],
    sites: init.sites ?? [SITE],
    details: new Map(),
    evidence: new Map(),
    routes: [],
    on: (method, pattern, handler) => server.routes.unshift({ method, pattern, handler }),
  };
  const defaults: { method: string; pattern: RegExp; handler: Handler }[] = [
    {
      method: 'GET',
      pattern: /^\/api\/session$/,
      handler: () => (server.session ? json(200, server.session) : json(401, { error: 'not signed in' })),
    },
    {
      method: 'GET',
      pattern: /^\/api\/alerts(\?.*)?$/,
      handler: (call) => {
        const q = new URL(call.path, 'http://x').searchParams;
        const statuses = q.get('status')?.split(',');
        const limit = Number(q.get('limit') ?? 100);
        const start = Number(q.get('cursor') ?? 0);
        const all = server.alerts.filter((e) => !statuses || statuses.includes(e.alert.status));
        const page = all.slice(start, start + limit);
        return json(200, {
          alerts: page,
          nextCursor: start + limit < all.length ? String(start + limit) : null,
        });
      },
    },
    { method: 'GET', pattern: /^\/api\/sites$/, handler: () => json(200, { sites: server.sites }) },
    {
      method: 'GET',
      pattern: /^\/api\/assignees$/,
      handler: () =>
        json(200, {
          users: [
            { username: 'kees', role: 'operator' },
            { username: 'olga', role: 'operator' },
          ],
        }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/alerts\/([^/?]+)\/evidence$/,
      handler: (_c, m) => json(200, { events: server.evidence.get(decodeURIComponent(m[1]!)) ?? [] }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/alerts\/([^/?]+)$/,
      handler: (_c, m) => {
        const id = decodeURIComponent(m[1]!);
        const d = server.details.get(id);
        return d ? json(200, d) : json(404, { error: `no alert ${id}` });
      },
    },
  ];
  const fetchMock = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const path = String(input);
    const method = init?.method ?? 'GET';
    const call: Call = {
      method,
      path,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    server.calls.push(call);
    for (const r of [...server.routes, ...defaults]) {
      const m = r.method === method ? r.pattern.exec(path) : null;
      if (!m) continue;
      const { status, body } = await r.handler(call, m);
      return new Response(status === 204 ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }
    return new Response(JSON.stringify({ error: `no route ${method} ${path}` }), { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return server;
}

// ---- socket.io ----

type Fn = (...args: unknown[]) => void;

export class FakeSocket {
  handlers = new Map<string, Fn[]>();
  sent: { event: string; payload: unknown }[] = [];
  active = true;
  connected = false;
  constructor(readonly options: { auth: (cb: (auth: Record<string, unknown>) => void) => void }) {}

  /** What the handshake would send now. */
  handshake(): Record<string, unknown> {
    let auth: Record<string, unknown> = {};
    this.options.auth((a) => (auth = a));
    return auth;
  }
  on(event: string, fn: Fn) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, payload: unknown) {
    this.sent.push({ event, payload });
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  disconnect() {
    this.connected = false;
    this.active = false;
    return this;
  }
  connect() {
    this.active = true;
    return this;
  }
  /** The server sends `event` (inside act, so React settles). */
  server(event: string, ...args: unknown[]) {
    act(() => {
      for (const fn of this.handlers.get(event) ?? []) fn(...args);
    });
  }
}

export const sockets: FakeSocket[] = [];
export const socketIoMock = {
  io: (options: FakeSocket['options']) => {
    const s = new FakeSocket(options);
    sockets.push(s);
    return s;
  },
};
export const lastSocket = (): FakeSocket => {
  const s = sockets.at(-1);
  if (!s) throw new Error('no socket was opened');
  return s;
};

/**
 * Hooks for a test file that renders the app: no sockets left from the test before; after each test the DOM
 * unmounted, stubbed globals (fetch) restored and the address back at `/`.
 */
export function resetAppAroundEachTest(): void {
  beforeEach(() => {
    sockets.length = 0;
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    window.history.replaceState(null, '', '/');
  });
}
