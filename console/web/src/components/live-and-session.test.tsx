import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { formatTime } from '../format';
import { entry, fakeServer, lastSocket, SITE, sockets } from '../test-support';
import { App } from './app';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

const start = (path = '/') => {
  window.history.replaceState(null, '', path);
  render(<App />);
};
const rowRev = (id: string) => document.querySelector(`[data-alert-id="${id}"]`)?.getAttribute('data-rev');

beforeEach(() => {
  sockets.length = 0;
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('live connection', () => {
  test('connects before loading, and a change pushed during the load is not lost', async () => {
    const a = entry({ alertId: 'during' });
    const server = fakeServer({ alerts: [a] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.on('GET', /^\/api\/alerts\?status=open/, async () => {
      await gate;
      return { status: 200, body: { alerts: [a], nextCursor: null } };
    });
    start();
    await waitFor(() => expect(sockets).toHaveLength(1));
    const socket = lastSocket();
    // The first handshake starts live from the server's head.
    expect(socket.handshake()).toEqual({});
    socket.server('ready', { seq: 40 });
    socket.server('alert', { ...a.alert, rev: 2, status: 'acknowledged', seq: 41, console: {} });
    release();
    await waitFor(() => expect(rowRev('during')).toBe('2'));
    await new Promise((r) => setTimeout(r, 80));
    expect(rowRev('during')).toBe('2');
  });

  test('banner says lost, reconnect resumes after the last seq, then says restored and clears', async () => {
    fakeServer({ alerts: [entry({ alertId: 'x' })] });
    start();
    await waitFor(() => expect(sockets).toHaveLength(1));
    const socket = lastSocket();
    const banner = screen.getByTestId('live-banner');
    expect(banner.getAttribute('role')).toBe('status');
    socket.server('ready', { seq: 7 });
    socket.server('alert', { ...entry({ alertId: 'y' }).alert, seq: 9, console: {} });
    expect(banner.textContent).toBe('');
    socket.server('disconnect', 'transport close');
    expect(banner.textContent).toContain('Live connection lost');
    // socket.io reconnects by itself; its handshake carries where to resume.
    expect(socket.handshake()).toEqual({ afterSeq: 9 });
    vi.useFakeTimers();
    socket.server('ready', { seq: 12 });
    expect(banner.textContent).toContain('Live connection restored');
    act(() => {
      vi.advanceTimersByTime(6000);
    });
    expect(banner.textContent).toBe('');
    expect(socket.handshake()).toEqual({ afterSeq: 12 });
  });

  test('a lost connection says since when, and keeps that time through failed reconnects', async () => {
    fakeServer();
    start();
    await waitFor(() => expect(sockets).toHaveLength(1));
    const socket = lastSocket();
    const banner = screen.getByTestId('live-banner');
    socket.server('ready', { seq: 1 });
    const lostAt = new Date();
    socket.server('disconnect', 'transport close');
    const since = formatTime(lostAt.toISOString());
    expect(banner.textContent).toBe(
      `Live connection lost since ${since}. Reconnecting; the board may be out of date.`,
    );
    await new Promise((r) => setTimeout(r, 1100));
    socket.server('connect_error', new Error('xhr poll error'));
    expect(banner.textContent).toContain(`since ${since}.`);
    socket.server('ready', { seq: 1 });
    expect(banner.textContent).toContain('Live connection restored');
  });

  test('banner says alerts may be late while the server reports a problem, and clears when it is gone', async () => {
    fakeServer();
    start();
    await waitFor(() => expect(sockets).toHaveLength(1));
    const socket = lastSocket();
    const banner = screen.getByTestId('live-banner');
    socket.server('health', { problems: [] });
    socket.server('ready', { seq: 1 });
    expect(banner.textContent).toBe('');
    const message = 'Detection has processed nothing for 3 min while 120 sensor events wait.';
    act(() => socket.server('health', { problems: [{ code: 'detection-stopped', message }] }));
    expect(banner.textContent).toBe(`Alerts may be late or missing. ${message}`);
    expect(banner.className).toContain('live-lost');
    // A lost connection says so instead: what the server said before may no longer hold.
    act(() => socket.server('disconnect', 'transport close'));
    expect(banner.textContent).toContain('Live connection lost');
    act(() => socket.server('ready', { seq: 1 }));
    expect(banner.textContent).toContain(message);
    act(() => socket.server('health', { problems: [] }));
    expect(banner.textContent).not.toContain('Alerts may be late');
  });

  test('resync for a slow client emits resume from the last seq', async () => {
    fakeServer();
    start();
    await waitFor(() => expect(sockets).toHaveLength(1));
    const socket = lastSocket();
    socket.server('ready', { seq: 3 });
    socket.server('alert', { ...entry().alert, seq: 5, console: {} });
    socket.server('resync', { afterSeq: 5, reason: 'slow-client' });
    expect(socket.sent).toEqual([{ event: 'resume', payload: { afterSeq: 5 } }]);
  });

  test('resync too-old reloads the alerts from the API and continues from the given seq', async () => {
    const server = fakeServer({ alerts: [entry({ alertId: 'k' })] });
    start();
    await waitFor(() => expect(rowRev('k')).toBe('1'));
    const loads = () => server.calls.filter((c) => c.path.startsWith('/api/alerts?status=open')).length;
    expect(loads()).toBe(1);
    server.alerts = [{ ...server.alerts[0]!, alert: { ...server.alerts[0]!.alert, rev: 6 } }];
    const socket = lastSocket();
    socket.server('resync', { afterSeq: 900, reason: 'too-old' });
    await waitFor(() => expect(rowRev('k')).toBe('6'));
    expect(loads()).toBe(2);
    expect(socket.handshake()).toEqual({ afterSeq: 900 });
  });
});

describe('session and pages', () => {
  test('an unauthenticated visit shows the login page; a failed login shows the server message', async () => {
    const server = fakeServer({ session: null });
    server.on('POST', /^\/api\/session$/, (call) =>
      (call.body as { password: string }).password === 'right-password-1'
        ? { status: 200, body: { username: 'olga', role: 'operator', expiresAt: '2099-01-01T00:00:00Z' } }
        : { status: 401, body: { error: 'wrong username or password' } },
    );
    start('/wings');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Username'), 'olga');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('wrong username or password');
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'right-password-1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    // Back on the page asked for, signed in.
    expect(await screen.findByRole('heading', { level: 1, name: 'Wings' })).toBeTruthy();
    const nav = screen.getByRole('navigation');
    expect(screen.getByRole('link', { name: 'Alerts' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Wings' })).toBeTruthy();
    expect(nav.textContent).toContain('olga');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
  });

  test('sign out returns to the login page', async () => {
    const server = fakeServer();
    server.on('DELETE', /^\/api\/session$/, () => ({ status: 204 }));
    start();
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(lastSocket().active).toBe(false);
  });

  test('the sound switch survives a reload; until a click or key press the browser block is shown', async () => {
    // A WebAudio context as a browser keeps it: suspended until the user has interacted with the page.
    const contexts: { state: string }[] = [];
    vi.stubGlobal(
      'AudioContext',
      class {
        state = 'suspended';
        constructor() {
          contexts.push(this);
        }
        resume() {
          this.state = 'running';
          return Promise.resolve();
        }
      },
    );
    localStorage.clear();
    fakeServer();
    start();
    const user = userEvent.setup();
    const toggle = () => screen.getByRole<HTMLInputElement>('checkbox', { name: /Sound on new critical/ });
    await user.click(await waitFor(toggle));
    expect(toggle().checked).toBe(true);
    expect(screen.queryByText(/blocked by the browser/)).toBeNull();

    // A reload (or the next sign-in): still on, but silent until the operator touches the page.
    cleanup();
    contexts[0]!.state = 'suspended';
    start();
    await waitFor(() => expect(toggle().checked).toBe(true));
    expect(screen.getByText(/blocked by the browser/)).toBeTruthy();
    await user.keyboard('{Shift}');
    await waitFor(() => expect(screen.queryByText(/blocked by the browser/)).toBeNull());
    expect(contexts[0]!.state).toBe('running');
  });

  test('a tester sees the simulator page, and no socket is opened', async () => {
    fakeServer({ session: { username: 'tess', role: 'tester', expiresAt: '2099-01-01T00:00:00Z' } });
    start();
    expect(await screen.findByRole('heading', { name: 'Simulator' })).toBeTruthy();
    expect(sockets).toHaveLength(0);
    expect(screen.getByTestId('live-banner')).toBeTruthy();
  });

  test('the wing board shows each wing with its worst open alert and sensor health', async () => {
    fakeServer({
      alerts: [
        entry({ wingId: 'a', severity: 'medium', title: 'GSM call in A' }),
        entry({ wingId: 'a', severity: 'high', title: 'Drone near A', status: 'acknowledged' }),
        entry({ wingId: 'a', severity: 'critical', title: 'Old, resolved', status: 'resolved' }),
        entry({
          wingId: 'b',
          rule: 'sensor-offline',
          sensorIds: ['gsm-b-1'],
          severity: 'low',
          title: 'gsm-b-1 silent',
        }),
      ],
      sites: [SITE],
    });
    start('/wings');
    await waitFor(() =>
      expect(document.querySelector('[data-wing-id="a"]')?.textContent).toContain('Drone near A'),
    );
    const wingA = document.querySelector('[data-wing-id="a"]')!;
    expect(wingA.textContent).toContain('HIGH');
    expect(wingA.textContent).not.toContain('Old, resolved');
    expect(wingA.querySelector('[data-sensor-id="gsm-a-1"]')?.textContent).toContain('ok');
    const wingB = document.querySelector('[data-wing-id="b"]')!;
    expect(wingB.querySelector('[data-sensor-id="gsm-b-1"]')?.textContent).toContain('OFFLINE');
    expect(screen.getByText('Site-wide sensors')).toBeTruthy();
  });
});
