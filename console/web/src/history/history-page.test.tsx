import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App } from '../components/app';
import { fakeServer, type FakeServer } from '../test-support';
import type { Role } from '../types';
import { DetaineeTimelinePage, timelineEntries } from './detainee-timeline';
import { csvHref, EMPTY_FILTERS, listQuery, localToIso, type Timeline } from './history-api';
import { HistoryPage } from './history-page';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

const gsm = (i: number, exercise = false) => ({
  v: 1,
  eventId: `ev-${i}`,
  siteId: 'demo',
  kind: 'gsm',
  sensorId: 'gsm-a-1',
  zoneId: 'a-01',
  observedAt: new Date(Date.UTC(2026, 2, 1, 2, i)).toISOString(),
  exercise,
});

const HEATMAP = {
  timezone: 'Europe/Amsterdam',
  kinds: ['gsm'],
  wings: [
    { wingId: 'a', name: 'Afdeling A', hours: Array.from({ length: 24 }, (_, h) => (h === 3 ? 7 : 0)) },
    { wingId: 'b', name: 'Afdeling B', hours: new Array<number>(24).fill(0) },
  ],
};

/** A fake console with history routes: two pages of events, charts, and a timeline. */
function historyServer(role: Role = 'analyst'): FakeServer {
  const server = fakeServer({ session: { username: 'anton', role, expiresAt: '2099-01-01T00:00:00Z' } });
  server.on('GET', /^\/api\/history\/events(\?.*)?$/, (call) => {
    const q = new URL(call.path, 'http://x').searchParams;
    return q.get('cursor') === 'c2'
      ? { status: 200, body: { events: [gsm(3), gsm(4)], nextCursor: null } }
      : { status: 200, body: { events: [gsm(1), gsm(2)], nextCursor: 'c2' } };
  });
  server.on('GET', /^\/api\/history\/alerts(\?.*)?$/, () => ({
    status: 200,
    body: { alerts: [], nextCursor: null },
  }));
  server.on('GET', /^\/api\/history\/charts\/volume(\?.*)?$/, () => ({
    status: 200,
    body: {
      bucket: '1h',
      timezone: 'Europe/Amsterdam',
      from: '2026-03-01T02:00:00.000Z',
      to: '2026-03-01T04:00:00.000Z',
      points: [
        { t: '2026-03-01T02:00:00.000Z', events: 4, alerts: 1 },
        { t: '2026-03-01T03:00:00.000Z', events: 0, alerts: 0 },
      ],
    },
  }));
  server.on('GET', /^\/api\/history\/charts\/heatmap(\?.*)?$/, () => ({ status: 200, body: HEATMAP }));
  server.on('GET', /^\/api\/history\/charts\/drones(\?.*)?$/, () => ({
    status: 200,
    body: {
      timezone: 'Europe/Amsterdam',
      weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      counts: Array.from({ length: 7 }, (_, d) =>
        Array.from({ length: 24 }, (_, h) => (d === 5 && h === 23 ? 2 : 0)),
      ),
    },
  }));
  server.on('GET', /^\/api\/history\/charts\/precision(\?.*)?$/, () => ({
    status: 200,
    body: {
      byRule: [
        {
          rule: 'gsm-burst',
          resolved: 4,
          confirmed: 3,
          falsePositive: 1,
          duplicate: 0,
          searchOrdered: 0,
          auto: 0,
          precision: 0.75,
        },
      ],
      bySensor: [],
    },
  }));
  return server;
}

const paths = (server: FakeServer, prefix: string) =>
  server.calls.map((c) => c.path).filter((p) => p.startsWith(prefix));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('history queries', () => {
  test('each list gets only its own filters; times are sent as UTC; exercise only when ticked', () => {
    const f = {
      ...EMPTY_FILTERS,
      from: '2026-03-01T00:00',
      siteId: 'demo',
      kind: 'gsm',
      rule: 'gsm-burst',
      severity: 'high',
    };
    const events = new URLSearchParams(listQuery('events', f));
    expect(events.get('from')).toBe(new Date('2026-03-01T00:00').toISOString());
    expect(events.get('kind')).toBe('gsm');
    expect(events.has('rule')).toBe(false);
    expect(events.has('exercise')).toBe(false);
    const alerts = new URLSearchParams(listQuery('alerts', { ...f, exercise: true }));
    expect(alerts.get('rule')).toBe('gsm-burst');
    expect(alerts.get('severity')).toBe('high');
    expect(alerts.has('kind')).toBe(false);
    expect(alerts.get('exercise')).toBe('include');
    expect(csvHref('searches', f)).toMatch(/^\/api\/history\/searches\.csv\?/);
  });
});

describe('HistoryPage', () => {
  test('filters build the query, the CSV link carries them, Load more appends', async () => {
    const server = historyServer();
    const user = userEvent.setup();
    render(<HistoryPage />);
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(2));
    // Exercise data is hidden by default: the box is off and no `exercise` goes to the server.
    expect((screen.getByLabelText('Show exercise data') as HTMLInputElement).checked).toBe(false);
    expect(paths(server, '/api/history/events')[0]).toBe('/api/history/events?limit=100');

    await user.selectOptions(screen.getByLabelText('Site'), 'demo');
    await user.selectOptions(screen.getByLabelText('Wing'), 'a');
    await user.selectOptions(screen.getByLabelText('Kind'), 'gsm');
    await user.type(screen.getByLabelText('Cell'), 'a-01');
    await user.type(screen.getByLabelText('From'), '2026-03-01T00:00');
    await user.click(screen.getByLabelText('Show exercise data'));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    const from = new Date('2026-03-01T00:00').toISOString();
    const expected = new URLSearchParams({
      from,
      exercise: 'include',
      siteId: 'demo',
      wingId: 'a',
      cellId: 'a-01',
      kind: 'gsm',
    }).toString();
    await waitFor(() =>
      expect(paths(server, '/api/history/events').at(-1)).toBe(`/api/history/events?${expected}&limit=100`),
    );
    const link = screen.getByRole('link', { name: 'Export CSV' });
    expect(link.getAttribute('href')).toBe(`/api/history/events.csv?${expected}`);

    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(4));
    expect(paths(server, '/api/history/events').at(-1)).toBe(
      `/api/history/events?${expected}&limit=100&cursor=c2`,
    );
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(
      screen.getAllByTestId('history-row').map((r) => within(r).getAllByRole('cell')[5]!.textContent),
    ).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4']);

    // Another list: its own path and CSV link, the kind filter does not apply to alerts.
    await user.click(screen.getByRole('tab', { name: 'Alerts' }));
    await waitFor(() => expect(paths(server, '/api/history/alerts')).toHaveLength(1));
    expect(paths(server, '/api/history/alerts')[0]).not.toContain('kind=');
    expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toMatch(
      /^\/api\/history\/alerts\.csv\?.*siteId=demo/,
    );
  });

  test('renders the charts: volume with its bucket, heatmap cells with counts, drones, precision', async () => {
    historyServer();
    render(<HistoryPage />);
    const heat = await screen.findByRole('img', { name: 'Events per wing and hour of day' });
    const cells = heat.querySelectorAll('[data-testid="heat-cell"]');
    expect(cells).toHaveLength(48);
    const hot = [...cells].filter((c) => c.getAttribute('data-count') !== '0');
    expect(hot.map((c) => c.querySelector('title')?.textContent)).toEqual(['Afdeling A, 03:00: 7 events']);
    expect(screen.getByTestId('volume-bucket').textContent).toContain('1 hour');
    expect(screen.getByRole('img', { name: 'Events and alerts per 1 hour' })).toBeTruthy();
    const drones = screen.getByRole('img', { name: 'Drone incursions per weekday and hour' });
    expect(drones.querySelectorAll('[data-testid="heat-cell"]')).toHaveLength(7 * 24);
    expect(drones.textContent).toContain('Saturday, 23:00: 2 drone incursions');
    const perRule = screen.getByRole('table', { name: 'Precision per rule' });
    expect(within(perRule).getByText('75%')).toBeTruthy();
  });

  test('puts an Export CSV link under each chart, with the chart filters (the site chosen for the charts)', async () => {
    const user = userEvent.setup();
    historyServer();
    render(<HistoryPage />);
    await screen.findByRole('table', { name: 'Precision per rule' });
    const links = () => screen.getAllByTestId('chart-csv');
    await waitFor(() => expect(links()).toHaveLength(4));
    expect(links().map((l) => [l.dataset.chart, l.getAttribute('href'), l.hasAttribute('download')])).toEqual(
      [
        ['volume', '/api/history/charts/volume.csv?siteId=demo', true],
        ['heatmap', '/api/history/charts/heatmap.csv?siteId=demo', true],
        ['drones', '/api/history/charts/drones.csv?siteId=demo', true],
        ['precision', '/api/history/charts/precision.csv?siteId=demo', true],
      ],
    );
    // Each says which chart it exports; the list's own `Export CSV` stays the only link of that exact name.
    expect(screen.getByRole('link', { name: 'Export CSV of events per wing and hour of day' })).toBe(
      links()[1],
    );
    expect(screen.getAllByRole('link', { name: 'Export CSV' })).toHaveLength(1);

    await user.selectOptions(screen.getByLabelText('Kind'), 'gsm');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(links()[0]!.getAttribute('href')).toBe('/api/history/charts/volume.csv?siteId=demo&kind=gsm'),
    );
    expect(links()[1]!.getAttribute('href')).toBe('/api/history/charts/heatmap.csv?siteId=demo&kind=gsm');
    expect(links()[2]!.getAttribute('href')).toBe('/api/history/charts/drones.csv?siteId=demo');
  });

  test('the searches list filters on findings: nothing found is one choice away, and the export follows', async () => {
    const server = historyServer();
    server.on('GET', /^\/api\/history\/searches(\?.*)?$/, () => ({
      status: 200,
      body: { searches: [], nextCursor: null },
    }));
    const user = userEvent.setup();
    render(<HistoryPage />);
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(2));
    // Events have no findings: the choice is off there and never sent.
    const findings = screen.getByLabelText('Findings') as HTMLSelectElement;
    expect(findings.disabled).toBe(true);
    await user.click(screen.getByRole('tab', { name: 'Searches' }));
    await waitFor(() => expect(findings.disabled).toBe(false));
    await user.selectOptions(findings, 'Nothing found');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(paths(server, '/api/history/searches').at(-1)).toBe(
        '/api/history/searches?found=false&limit=100',
      ),
    );
    expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(
      '/api/history/searches.csv?found=false',
    );
    await user.click(screen.getByRole('tab', { name: 'Events' }));
    await waitFor(() =>
      expect(paths(server, '/api/history/events').at(-1)).toBe('/api/history/events?limit=100'),
    );
  });

  test('Rule offers the detectors rules instead of a free text that finds nothing when mistyped', async () => {
    const server = historyServer();
    const user = userEvent.setup();
    render(<HistoryPage />);
    await user.click(screen.getByRole('tab', { name: 'Alerts' }));
    const rule = screen.getByLabelText('Rule') as HTMLSelectElement;
    await waitFor(() => expect(rule.disabled).toBe(false));
    expect(rule.tagName).toBe('SELECT');
    const options = [...rule.options].map((o) => o.value);
    expect(options).toContain('drone-incursion');
    expect(options).toContain('search-missed');
    await user.selectOptions(rule, 'drone-incursion');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(paths(server, '/api/history/alerts').at(-1)).toBe(
        '/api/history/alerts?rule=drone-incursion&limit=100',
      ),
    );
  });

  test('the charts say which range they count and which filters they leave out', async () => {
    const user = userEvent.setup();
    const server = historyServer();
    server.on('GET', /^\/api\/history\/charts\/drones(\?.*)?$/, () => ({
      status: 200,
      body: {
        timezone: 'Europe/Amsterdam',
        from: '2026-03-01T02:00:00.000Z',
        to: '2026-03-01T04:00:00.000Z',
        weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        counts: Array.from({ length: 7 }, () => new Array<number>(24).fill(0)),
      },
    }));
    render(<HistoryPage />);
    const scope = await screen.findByTestId('chart-scope');
    const local = (iso: string) => new Date(iso).toLocaleString('en-GB', { hour12: false });
    expect(scope.textContent).toContain(
      `Charts count ${local('2026-03-01T02:00:00.000Z')} to ${local('2026-03-01T04:00:00.000Z')}`,
    );
    // Without From the charts are the last 30 days while the list goes back to the start: said.
    expect(scope.textContent).toContain('the last 30 days');
    expect(screen.getByTestId('drone-total').textContent).toBe('none in this range');
    expect(screen.queryAllByTestId('chart-ignores')).toHaveLength(0);

    await user.type(screen.getByLabelText('From'), '2026-03-01T03:00');
    await user.type(screen.getByLabelText('Cell'), 'a-01');
    await user.selectOptions(screen.getByLabelText('Kind'), 'gsm');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(screen.getAllByTestId('chart-ignores')).toHaveLength(4));
    expect(screen.getByTestId('chart-scope').textContent).not.toContain('the last 30 days');
    expect(
      screen.getAllByTestId('chart-ignores').map((e) => [e.dataset.chart, e.textContent?.trim()]),
    ).toEqual([
      ['volume', 'Not filtered by Cell.'],
      ['heatmap', 'Not filtered by Cell.'],
      ['drones', 'Not filtered by Cell, Kind.'],
      ['precision', 'Not filtered by Cell, Kind.'],
    ]);
    // The alerts list takes no kind: only what the list shown applies and a chart does not is named.
    await user.click(screen.getByRole('tab', { name: 'Alerts' }));
    await waitFor(() =>
      expect(screen.getAllByTestId('chart-ignores').map((e) => e.textContent?.trim())).toEqual(
        new Array(4).fill('Not filtered by Cell.'),
      ),
    );
  });

  test('From after To is refused in the form, once, and nothing is sent', async () => {
    const server = historyServer();
    // As the console answers such a range: every list and chart alike.
    for (const route of server.routes) {
      const answer = route.handler;
      route.handler = (call, m) => {
        const q = new URL(call.path, 'http://x').searchParams;
        const [from, to] = [q.get('from'), q.get('to')];
        return from && to && from >= to
          ? {
              status: 400,
              body: { error: 'invalid query', issues: [{ path: 'from', message: 'must be before to' }] },
            }
          : answer(call, m);
      };
    }
    const user = userEvent.setup();
    render(<HistoryPage />);
    await screen.findByRole('img', { name: 'Events per wing and hour of day' });
    const sent = server.calls.length;
    await user.type(screen.getByLabelText('From'), '2026-03-02T00:00');
    await user.type(screen.getByLabelText('To'), '2026-03-01T00:00');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['From must be before To.']);
    expect(server.calls.length).toBe(sent);
    // Corrected, it goes out and the message goes.
    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('To'), '2026-03-03T00:00');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(paths(server, '/api/history/events').at(-1)).toContain('to='));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('the same refusal of the list and every chart shows once', async () => {
    const server = historyServer();
    server.on('GET', /^\/api\/history\//, () => ({ status: 503, body: { error: 'database unavailable' } }));
    render(<HistoryPage />);
    await waitFor(() => expect(paths(server, '/api/history/charts/')).toHaveLength(4));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['database unavailable']);
  });

  test('a range too long for the volume chart says to narrow the dates, not to pick a bucket', async () => {
    const server = historyServer();
    server.on('GET', /^\/api\/history\/charts\/volume/, () => ({
      status: 400,
      body: {
        error: 'invalid query',
        issues: [
          { path: 'bucket', message: '1d over this range is more than 3000 points; pick a larger bucket' },
        ],
      },
    }));
    render(<HistoryPage />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'Chart volume: the date range is too long for this chart; narrow it with From and To',
    );
    expect(screen.getByRole('img', { name: 'Events per wing and hour of day' })).toBeTruthy();
  });

  test('an empty list with exercise data hidden says so, and offers to include it', async () => {
    const server = historyServer();
    server.on('GET', /^\/api\/history\/events/, (call) => ({
      status: 200,
      body: { events: call.path.includes('exercise=include') ? [gsm(1, true)] : [], nextCursor: null },
    }));
    const user = userEvent.setup();
    render(<HistoryPage />);
    const hint = await screen.findByTestId('exercise-hint');
    expect(screen.getByTestId('history-count').textContent).toBe('0 rows');
    expect(hint.textContent).toMatch(/Exercise data .* is hidden/);
    await user.click(within(hint).getByRole('button', { name: 'Include exercise data' }));
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(1));
    expect(screen.getAllByTestId('history-row')[0]!.textContent).toContain('EXERCISE');
    expect((screen.getByLabelText('Show exercise data') as HTMLInputElement).checked).toBe(true);
    expect(paths(server, '/api/history/events').at(-1)).toBe(
      '/api/history/events?exercise=include&limit=100',
    );
    expect(screen.queryByTestId('exercise-hint')).toBeNull();
  });

  test('no exercise hint while rows are shown or exercise data is already included', async () => {
    historyServer();
    render(<HistoryPage />);
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(2));
    expect(screen.queryByTestId('exercise-hint')).toBeNull();
  });

  test('the detainee form opens the timeline', async () => {
    historyServer();
    const user = userEvent.setup();
    render(<HistoryPage />);
    await user.type(screen.getByLabelText('Detainee id'), 'd-7');
    await user.click(screen.getByRole('button', { name: 'Show timeline' }));
    expect(window.location.pathname).toBe('/history/detainees/d-7');
  });
});

const TIMELINE: Timeline = {
  stays: [{ cellId: 'a-01', siteId: 'demo', from: '2026-03-01T01:00:00.000Z', to: null }],
  items: [
    {
      at: '2026-03-01T01:00:00.000Z',
      type: 'roster',
      eventId: 'r-1',
      action: 'admit',
      cellId: 'a-01',
      observedAt: '2026-03-01T01:00:00.000Z',
    },
    { at: '2026-03-01T02:00:00.000Z', type: 'gsm', cellId: 'a-01', events: 5 },
    {
      at: '2026-03-01T02:10:00.000Z',
      type: 'alert',
      alertId: 'demo:gsm-burst:a',
      rule: 'gsm-burst',
      severity: 'high',
      status: 'resolved',
      title: 'GSM burst in a-01',
      cellIds: ['a-01'],
      lastEventAt: '2026-03-01T02:20:00.000Z',
    },
    {
      at: '2026-03-01T03:00:00.000Z',
      type: 'search',
      eventId: 's-1',
      searchId: 'S-1',
      searchType: 'cell-inspection',
      cellIds: ['a-01'],
      reason: 'cell',
      findings: [{ category: 'phone' }],
    },
  ],
  nextCursor: null,
};

describe('DetaineeTimelinePage', () => {
  test('renders stays and items in time order, with the logged note', async () => {
    const server = historyServer();
    server.on('GET', /^\/api\/history\/detainees\/d-7\/timeline/, () => ({ status: 200, body: TIMELINE }));
    render(<DetaineeTimelinePage detaineeId="d-7" />);
    const items = await screen.findAllByTestId('timeline-item');
    expect(items.map((i) => i.getAttribute('data-type'))).toEqual([
      'stay',
      'roster',
      'gsm',
      'alert',
      'search',
    ]);
    expect(items[2]!.textContent).toContain('5 events in cell a-01');
    expect(within(items[3]!).getByRole('link', { name: 'GSM burst in a-01' }).getAttribute('href')).toBe(
      '/alerts/demo%3Agsm-burst%3Aa',
    );
    expect(items[4]!.textContent).toContain('1 finding');
    expect(screen.getByText('This view is logged.')).toBeTruthy();
    expect(paths(server, '/api/history/detainees')).toEqual(['/api/history/detainees/d-7/timeline']);
  });

  test('loads the next page with Load more, appending after what is shown', async () => {
    const user = userEvent.setup();
    const server = historyServer();
    const [admit, gsmHour, alert, search] = TIMELINE.items;
    const later = { cellId: 'b-02', siteId: 'demo', from: '2026-03-01T02:30:00.000Z', to: null };
    const stays = [{ ...TIMELINE.stays[0]!, to: later.from }, later];
    server.on('GET', /^\/api\/history\/detainees\/d-7\/timeline/, (call) => {
      const cursor = new URL(call.path, 'http://x').searchParams.get('cursor');
      return cursor === 'p2'
        ? { status: 200, body: { stays, items: [alert, search], nextCursor: null } }
        : { status: 200, body: { stays, items: [admit, gsmHour], nextCursor: 'p2' } };
    });
    render(<DetaineeTimelinePage detaineeId="d-7" pageSize={2} />);
    await screen.findByText(/2 items so far, more follow/);
    const types = () => screen.getAllByTestId('timeline-item').map((i) => i.getAttribute('data-type'));
    // The stay in b-02 begins after the last loaded item: it waits for its page.
    expect(types()).toEqual(['stay', 'roster', 'gsm']);
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(types()).toEqual(['stay', 'roster', 'gsm', 'alert', 'stay', 'search']));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(paths(server, '/api/history/detainees')).toEqual([
      '/api/history/detainees/d-7/timeline?limit=2',
      '/api/history/detainees/d-7/timeline?limit=2&cursor=p2',
    ]);
  });

  test('From and To narrow the timeline to a range (around a transfer), kept in the address', async () => {
    const user = userEvent.setup();
    const server = historyServer();
    server.on('GET', /^\/api\/history\/detainees\/d-7\/timeline/, () => ({ status: 200, body: TIMELINE }));
    window.history.replaceState(null, '', '/history/detainees/d-7');
    render(<DetaineeTimelinePage detaineeId="d-7" />);
    await screen.findAllByTestId('timeline-item');
    const range = screen.getByRole('form', { name: 'Range' });
    await user.type(within(range).getByLabelText('From'), '2026-03-01T02:00');
    await user.type(within(range).getByLabelText('To'), '2026-03-01T03:00');
    await user.click(within(range).getByRole('button', { name: 'Show range' }));
    const from = encodeURIComponent(localToIso('2026-03-01T02:00')!);
    const to = encodeURIComponent(localToIso('2026-03-01T03:00')!);
    await waitFor(() =>
      expect(paths(server, '/api/history/detainees').at(-1)).toBe(
        `/api/history/detainees/d-7/timeline?from=${from}&to=${to}`,
      ),
    );
    expect(window.location.search).toBe('?from=2026-03-01T02%3A00&to=2026-03-01T03%3A00');
  });

  test('orders a shuffled timeline by time', () => {
    const entries = timelineEntries({ ...TIMELINE, items: [...TIMELINE.items].reverse() });
    expect(entries.map((e) => e.type)).toEqual(['stay', 'roster', 'gsm', 'alert', 'search']);
  });
});

describe('the /history route and its nav link', () => {
  test.each(['analyst', 'admin'] as const)('an %s has the link and the page', async (role) => {
    historyServer(role);
    window.history.replaceState(null, '', '/history');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'History', level: 1 })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'History' }).getAttribute('href')).toBe('/history');
  });

  test('an operator gets no link and a not-allowed message', async () => {
    const server = historyServer('operator');
    window.history.replaceState(null, '', '/history');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'History' })).toBeNull();
    expect(paths(server, '/api/history')).toEqual([]);
  });

  test('an operator cannot open a detainee timeline either', async () => {
    historyServer('operator');
    window.history.replaceState(null, '', '/history/detainees/d-7');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeTruthy();
  });
});
