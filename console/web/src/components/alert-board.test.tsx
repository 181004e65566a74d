import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { entry, fakeServer, lastSocket, type FakeServer, resetAppAroundEachTest } from '../test-support';
import { App } from './app';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

const rowIds = () =>
  [...screen.getByRole('list', { name: 'Alerts' }).querySelectorAll('[data-alert-id]')].map((r) =>
    r.getAttribute('data-alert-id'),
  );
const row = (id: string) => {
  const el = document.querySelector(`[data-alert-id="${id}"]`);
  if (!el) throw new Error(`no row ${id}`);
  return el as HTMLElement;
};

function start(server: FakeServer, path = '/') {
  window.history.replaceState(null, '', path);
  render(<App />);
  return server;
}

resetAppAroundEachTest();

describe('alert board', () => {
  test('sorts by status, then severity, then newest first; shows severity as text and the exercise badge', async () => {
    start(
      fakeServer({
        alerts: [
          entry({ alertId: 'ack-crit', status: 'acknowledged', severity: 'critical' }),
          entry({ alertId: 'open-low', severity: 'low' }),
          entry({ alertId: 'open-crit-old', severity: 'critical', lastEventAt: '2026-03-01T01:00:00.000Z' }),
          entry({ alertId: 'open-crit-new', severity: 'critical', lastEventAt: '2026-03-01T03:00:00.000Z' }),
          entry({ alertId: 'resolved-crit', status: 'resolved', severity: 'critical', exercise: true }),
        ],
      }),
    );
    await waitFor(() => expect(rowIds()).toHaveLength(5));
    expect(rowIds()).toEqual(['open-crit-new', 'open-crit-old', 'open-low', 'ack-crit', 'resolved-crit']);
    const crit = row('open-crit-new');
    expect(crit.dataset.status).toBe('open');
    expect(crit.dataset.severity).toBe('critical');
    expect(crit.dataset.rev).toBe('1');
    expect(within(crit).getByText('CRITICAL')).toBeTruthy();
    expect(within(crit).getByText('\u25C6')).toBeTruthy();
    expect(within(row('resolved-crit')).getByText('EXERCISE')).toBeTruthy();
    expect(within(crit).queryByText('EXERCISE')).toBeNull();
    // The wing by the name the site uses, not its id.
    expect(within(crit).getByText('demo / Afdeling A')).toBeTruthy();
  });

  test('loads open and acknowledged alerts page by page, and one page of resolved ones', async () => {
    const alerts = [
      ...Array.from({ length: 1200 }, () => entry()),
      ...Array.from({ length: 700 }, () => entry({ status: 'resolved' })),
    ];
    const server = start(fakeServer({ alerts }));
    await waitFor(() => expect(screen.getByText('1700 alerts')).toBeTruthy());
    const lists = server.calls.filter((c) => c.path.startsWith('/api/alerts?')).map((c) => c.path);
    expect(lists).toEqual([
      '/api/alerts?status=open%2Cacknowledged&limit=500',
      '/api/alerts?status=open%2Cacknowledged&limit=500&cursor=500',
      '/api/alerts?status=open%2Cacknowledged&limit=500&cursor=1000',
      '/api/alerts?status=resolved&limit=500',
    ]);
  });

  test('counters count open and acknowledged alerts per severity, within the filters', async () => {
    start(
      fakeServer({
        alerts: [
          entry({ severity: 'critical', wingId: 'a' }),
          entry({ severity: 'critical', wingId: 'b', status: 'acknowledged' }),
          entry({ severity: 'critical', status: 'resolved' }),
          entry({ severity: 'high', wingId: 'a', rule: 'drone-incursion' }),
          entry({ severity: 'info', wingId: 'b' }),
        ],
      }),
    );
    await waitFor(() => expect(screen.getByTestId('count-critical').textContent).toBe('2'));
    expect(screen.getByTestId('count-high').textContent).toBe('1');
    expect(screen.getByTestId('count-medium').textContent).toBe('0');
    expect(screen.getByTestId('count-low').textContent).toBe('0');
    expect(screen.getByTestId('count-info').textContent).toBe('1');

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Wing'), 'b');
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    expect(screen.getByTestId('count-critical').textContent).toBe('1');
    expect(screen.getByTestId('count-high').textContent).toBe('0');
    expect(screen.getByTestId('count-info').textContent).toBe('1');
  });

  test('filters by site, wing, rule, severity and status', async () => {
    start(
      fakeServer({
        alerts: [
          entry({ alertId: 'x1', severity: 'high', rule: 'drone-incursion', wingId: 'a' }),
          entry({ alertId: 'x2', severity: 'high', rule: 'gsm-burst', wingId: 'b', status: 'acknowledged' }),
          entry({ alertId: 'x3', severity: 'low', rule: 'drone-incursion', wingId: 'a' }),
          entry({ alertId: 'x4', severity: 'high', rule: 'drone-incursion', siteId: 'other', wingId: 'a' }),
        ],
      }),
    );
    const user = userEvent.setup();
    await waitFor(() => expect(rowIds()).toHaveLength(4));
    await user.selectOptions(screen.getByLabelText('Site'), 'demo');
    await waitFor(() => expect(rowIds().sort()).toEqual(['x1', 'x2', 'x3']));
    await user.selectOptions(screen.getByLabelText('Rule'), 'drone-incursion');
    await waitFor(() => expect(rowIds().sort()).toEqual(['x1', 'x3']));
    await user.selectOptions(screen.getByLabelText('Severity'), 'high');
    await waitFor(() => expect(rowIds()).toEqual(['x1']));
    await user.selectOptions(screen.getByLabelText('Status'), 'acknowledged');
    await waitFor(() => expect(rowIds()).toEqual([]));
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.selectOptions(screen.getByLabelText('Wing'), 'b');
    await waitFor(() => expect(rowIds()).toEqual(['x2']));
  });

  test('a live push updates its row; an older rev does not undo it', async () => {
    const a = entry({ alertId: 'live-1', severity: 'high' });
    start(fakeServer({ alerts: [a] }));
    await waitFor(() => expect(rowIds()).toEqual(['live-1']));
    const socket = lastSocket();
    socket.server('ready', { seq: 10 });
    socket.server('alert', { ...a.alert, rev: 3, status: 'acknowledged', seq: 11, console: {} });
    await waitFor(() => expect(row('live-1').dataset.rev).toBe('3'));
    expect(row('live-1').dataset.status).toBe('acknowledged');
    socket.server('alert', { ...a.alert, rev: 2, status: 'open', seq: 12, console: {} });
    await new Promise((r) => setTimeout(r, 80));
    expect(row('live-1').dataset.rev).toBe('3');
    expect(row('live-1').dataset.status).toBe('acknowledged');
  });

  test('a new critical alert is highlighted and announced', async () => {
    start(fakeServer({ alerts: [entry({ alertId: 'calm', severity: 'low' })] }));
    await waitFor(() => expect(rowIds()).toEqual(['calm']));
    expect(screen.getByTestId('announcer').textContent).toBe('');
    expect(screen.getByTestId('announcer').getAttribute('aria-live')).toBe('assertive');
    lastSocket().server('alert', {
      ...entry({ alertId: 'boom', severity: 'critical', title: 'Drone over yard 1' }).alert,
      seq: 5,
      console: {},
    });
    await waitFor(() => expect(rowIds()).toEqual(['boom', 'calm']));
    expect(screen.getByTestId('announcer').textContent).toBe('New critical alert: Drone over yard 1');
    expect(row('boom').dataset.fresh).toBe('true');
    expect(row('boom').className).toContain('row-fresh');
    expect(row('calm').dataset.fresh).toBeUndefined();
  });

  test('the announcement and the tab title say "new critical" only while the alert is new', async () => {
    start(fakeServer({ alerts: [] }));
    await screen.findByText('0 alerts');
    const announcer = screen.getByTestId('announcer');
    const push = (patch: Parameters<typeof entry>[0], seq: number) =>
      lastSocket().server('alert', { ...entry(patch).alert, seq, console: {} });
    push({ alertId: 'c1', severity: 'critical', title: 'Drop over wing A' }, 1);
    push({ alertId: 'c2', severity: 'critical', title: 'Drop over wing B' }, 2);
    await waitFor(() => expect(document.title).toBe('2 new critical · Wachtpost'));
    expect(announcer.textContent).toBe('New critical alert: Drop over wing B');
    // Acknowledged in another browser: the last announcement is no longer news.
    push(
      { alertId: 'c2', severity: 'critical', title: 'Drop over wing B', rev: 2, status: 'acknowledged' },
      3,
    );
    await waitFor(() => expect(document.title).toBe('1 new critical · Wachtpost'));
    expect(announcer.textContent).toBe('');
    lastSocket().server('disconnect', 'transport close');
    await waitFor(() => expect(document.title).toBe('Connection lost · 1 new critical · Wachtpost'));
    lastSocket().server('ready', { seq: 3 });
    // Opened here: seen.
    await userEvent.setup().click(row('c1'));
    await waitFor(() => expect(document.title).toBe('Wachtpost'));
  });

  test('a critical alert that is merely an older one (rev > 1) is not announced as new', async () => {
    start(fakeServer({ alerts: [] }));
    await screen.findByText('0 alerts');
    lastSocket().server('alert', {
      ...entry({ alertId: 'old', severity: 'critical', rev: 4, title: 'Old one' }).alert,
      seq: 5,
      console: {},
    });
    await waitFor(() => expect(rowIds()).toEqual(['old']));
    expect(screen.getByTestId('announcer').textContent).toBe('');
  });

  test('renders only a window of rows for 10,000 alerts, and scrolling moves the window', async () => {
    const alerts = Array.from({ length: 10_000 }, (_, i) =>
      entry({
        alertId: `n-${String(i).padStart(5, '0')}`,
        lastEventAt: new Date(Date.UTC(2026, 0, 1) + (10_000 - i) * 1000).toISOString(),
      }),
    );
    start(fakeServer({ alerts }));
    await screen.findByText('10000 alerts', {}, { timeout: 5000 });
    const rendered = rowIds();
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0]).toBe('n-00000');
    const list = screen.getByRole('list', { name: 'Alerts' });
    expect(list.querySelector('li')?.getAttribute('aria-setsize')).toBe('10000');

    const scroller = list.parentElement!;
    scroller.scrollTop = 5000 * 56;
    scroller.dispatchEvent(new Event('scroll'));
    await waitFor(() => expect(rowIds()).toContain('n-05000'));
    expect(rowIds()).not.toContain('n-00000');
    expect(rowIds().length).toBeLessThan(60);
  });

  test('rows are focusable; arrow keys move between them and Enter opens the detail page', async () => {
    start(fakeServer({ alerts: [entry({ alertId: 'r/1', severity: 'high' }), entry({ alertId: 'r2' })] }));
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    const user = userEvent.setup();
    row('r/1').focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(row('r2'));
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(row('r/1'));
    await user.keyboard('{Enter}');
    expect(window.location.pathname).toBe('/alerts/r%2F1');
  });

  test('clicking a row opens its detail page', async () => {
    start(fakeServer({ alerts: [entry({ alertId: 'click-me' })] }));
    await waitFor(() => expect(rowIds()).toEqual(['click-me']));
    await userEvent.setup().click(row('click-me'));
    expect(window.location.pathname).toBe('/alerts/click-me');
  });

  test('an API error while loading is shown, not swallowed', async () => {
    const server = fakeServer();
    server.on('GET', /^\/api\/alerts\?/, () => ({
      status: 400,
      body: { error: 'invalid query', issues: [{ path: 'limit', message: 'too big' }] },
    }));
    start(server);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('invalid query');
    expect(alert.textContent).toContain('limit');
    expect(alert.textContent).toContain('too big');
    // Not "no alerts yet": the alerts could not be loaded.
    expect(screen.queryByTestId('board-empty-hint')).toBeNull();
  });

  test('with no alerts at all and no filters, a hint says how to get traffic', async () => {
    start(fakeServer({ alerts: [] }));
    const hint = await screen.findByTestId('board-empty-hint');
    expect(hint.textContent).toContain('No alerts yet');
    expect(hint.textContent).toContain('pnpm demo');
    expect(hint.textContent).toContain('within three minutes');
    expect(hint.textContent).toContain('Simulator');
    expect(screen.queryByText('No alerts match these filters.')).toBeNull();
    // A filter set: the usual "no match".
    await userEvent.setup().selectOptions(screen.getByLabelText('Severity'), 'critical');
    expect(screen.getByText('No alerts match these filters.')).toBeTruthy();
    expect(screen.queryByTestId('board-empty-hint')).toBeNull();
  });

  test('alerts that the filters hide are "no match", not "no alerts yet"', async () => {
    start(fakeServer({ alerts: [entry({ severity: 'low' })] }));
    await waitFor(() => expect(rowIds()).toHaveLength(1));
    await userEvent.setup().selectOptions(screen.getByLabelText('Severity'), 'critical');
    expect(await screen.findByText('No alerts match these filters.')).toBeTruthy();
    expect(screen.queryByTestId('board-empty-hint')).toBeNull();
  });
});
