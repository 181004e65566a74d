import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { formatTime } from '../format';
import { entry, fakeServer, type FakeServer, resetAppAroundEachTest } from '../test-support';
import type { AlertDetail, Role, SensorEvent } from '../types';
import { App } from './app';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

const EVENTS: SensorEvent[] = [
  {
    v: 1,
    eventId: 'ev-drone-1',
    kind: 'drone',
    siteId: 'demo',
    sensorId: 'radar-1',
    observedAt: '2026-03-01T02:00:00.000Z',
    exercise: false,
    trackId: 'trk-9',
    phase: 'start',
    detection: 'radar',
    category: 'drone',
    position: { lat: 51.6612, lon: 5.2875, altM: 40 },
  },
  {
    v: 1,
    eventId: 'ev-drone-2',
    kind: 'drone',
    siteId: 'demo',
    sensorId: 'radar-1',
    observedAt: '2026-03-01T02:00:05.000Z',
    exercise: false,
    trackId: 'trk-9',
    phase: 'update',
    detection: 'radar',
    category: 'drone',
    position: { lat: 51.6618, lon: 5.2871 },
  },
  {
    v: 1,
    eventId: 'ev-gsm-1',
    kind: 'gsm',
    siteId: 'demo',
    sensorId: 'gsm-a-1',
    observedAt: '2026-03-01T02:01:00.000Z',
    exercise: false,
    zoneId: 'a-01',
    tech: '4g',
    rssiDbm: -61,
    durationS: 40,
    activity: 'call',
  },
];

function detail(
  role: Role = 'operator',
  patch: Parameters<typeof entry>[0] = {},
  events = EVENTS,
  firstRevision: Partial<AlertDetail['history'][number]> = {},
) {
  const server = fakeServer({ session: { username: 'olga', role, expiresAt: '2099-01-01T00:00:00Z' } });
  const e = entry({
    alertId: 'al/42',
    title: 'Drone drop near wing A',
    severity: 'critical',
    rev: 2,
    cellIds: ['a-02'],
    detaineeIds: ['D-7F3A'],
    sensorIds: ['radar-1', 'gsm-a-1'],
    rule: 'drone-drop',
    ...patch,
  });
  const d: AlertDetail = {
    ...e,
    history: [
      {
        rev: 1,
        change: 'opened',
        status: 'open',
        severity: 'critical',
        updatedAt: '2026-03-01T02:00:00.000Z',
        ...firstRevision,
      },
      {
        rev: 2,
        change: 'noted',
        status: 'open',
        severity: 'critical',
        updatedAt: '2026-03-01T02:02:00.000Z',
        storedAt: '2026-03-01T02:05:00.000Z',
        action: {
          action: 'note',
          actor: 'piet',
          detail: { note: 'camera 4 checked' },
          at: '2026-03-01T02:02:00.000Z',
        },
      },
    ],
  };
  server.alerts = [e];
  server.details.set('al/42', d);
  server.evidence.set('al/42', events);
  window.history.replaceState(null, '', '/alerts/al%2F42');
  render(<App />);
  return { server, d };
}

const posts = (server: FakeServer) => server.calls.filter((c) => c.method === 'POST');

resetAppAroundEachTest();

describe('alert detail', () => {
  test('shows title, status, evidence with fields, history, cells and detainees', async () => {
    detail();
    expect((await screen.findByRole('heading', { level: 1, name: 'Drone drop near wing A' })).tagName).toBe(
      'H1',
    );
    expect(screen.getByTestId('alert-status').textContent).toBe('open');
    const evidence = await screen.findByRole('region', { name: 'Evidence' });
    await waitFor(() => expect(within(evidence).getAllByRole('listitem')).toHaveLength(3));
    expect(within(evidence).getAllByText('trk-9')).toHaveLength(2);
    const first = within(evidence).getAllByRole('listitem')[0]!;
    expect(first.getAttribute('data-event-id')).toBe('ev-drone-1');
    expect(within(first).getByText('position.lat')).toBeTruthy();
    expect(within(first).getByText('51.6612')).toBeTruthy();
    expect(within(first).getByText('phase')).toBeTruthy();
    expect(within(evidence).getByText('rssiDbm')).toBeTruthy();
    expect(within(evidence).getByText('-61')).toBeTruthy();
    const history = screen.getByRole('region', { name: 'History' });
    expect(within(history).getByText('rev 1')).toBeTruthy();
    expect(within(history).getByText('camera 4 checked')).toBeTruthy();
    expect(within(history).getByText('piet')).toBeTruthy();
    const people = screen.getByRole('region', { name: 'Cells and detainees' });
    expect(within(people).getByText('a-02')).toBeTruthy();
    expect(within(people).getByText('D-7F3A')).toBeTruthy();
  });

  test('an alert raised from late evidence says when it was raised, and which sensors were blind', async () => {
    detail('operator', {}, EVENTS, {
      late: true,
      incomplete: ['gsm-a-1'],
      storedAt: '2026-03-01T02:35:00.000Z',
    });
    const history = await screen.findByRole('region', { name: 'History' });
    const opened = within(history).getAllByRole('listitem')[0]!;
    expect(opened.textContent).toContain('from late evidence');
    expect(opened.textContent).toContain(`published ${formatTime('2026-03-01T02:35:00.000Z')}`);
    expect(opened.textContent).toContain('incomplete: gsm-a-1 offline or faulty');
    expect(screen.getByText('Raised').nextElementSibling?.textContent).toBe(
      `${formatTime('2026-03-01T02:35:00.000Z')} (35 min after the evidence that raised it)`,
    );
    // A revision not raised from late evidence shows neither, however long after its time it was stored.
    const noted = within(history).getAllByRole('listitem')[1]!;
    expect(noted.textContent).not.toMatch(/late|published|incomplete/);
  });

  test('draws the site plan as svg with the alert cell marked and the drone track', async () => {
    detail();
    const plan = await screen.findByRole('img', { name: 'Site plan' });
    expect(plan.tagName.toLowerCase()).toBe('svg');
    await waitFor(() => expect(plan.querySelector('[data-track-id="trk-9"] polyline')).not.toBeNull());
    expect(plan.querySelectorAll('[data-track-id="trk-9"] circle')).toHaveLength(2);
    expect(plan.querySelector('[data-cell-id="a-02"]')?.getAttribute('data-highlight')).toBe('true');
    expect(plan.querySelector('[data-cell-id="a-01"]')?.getAttribute('data-highlight')).toBeNull();
    expect(plan.querySelector('[data-zone-id="yard-1"]')).not.toBeNull();
    expect(plan.querySelector('[data-wing-id="a"]')?.getAttribute('class')).toContain('plan-wing-alert');
  });

  test('acknowledge sends the rev on screen and shows the new status', async () => {
    const { server, d } = detail();
    server.on('POST', /\/acknowledge$/, () => {
      const next = { ...d, alert: { ...d.alert, rev: 3, status: 'acknowledged' as const } };
      server.details.set('al/42', next);
      return { status: 200, body: { alert: next.alert, console: {} } };
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(screen.getByTestId('alert-status').textContent).toBe('acknowledged'));
    expect(posts(server)).toEqual([
      { method: 'POST', path: '/api/alerts/al%2F42/acknowledge', body: { rev: 2 } },
    ]);
    expect((screen.getByRole('button', { name: 'Acknowledge' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Resolve' }) as HTMLButtonElement).disabled).toBe(false);
  });

  test('assigning offers the users who handle alerts as the operator types', async () => {
    detail();
    const input = await screen.findByLabelText('Assign to username');
    const list = document.getElementById(input.getAttribute('list')!)!;
    await waitFor(() =>
      expect([...list.querySelectorAll('option')].map((o) => [o.value, o.label])).toEqual([
        ['kees', 'kees (operator)'],
        ['olga', 'olga (operator)'],
      ]),
    );
  });

  test('assign, note, resolve and silence each send their fields and the rev', async () => {
    const { server, d } = detail();
    server.on('POST', /\/(assign|note|resolve|silence)$/, () => ({
      status: 200,
      body: { alert: d.alert, console: {} },
    }));
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Assign to me' }));
    await user.type(screen.getByLabelText('Assign to username'), 'kees');
    await user.click(screen.getByRole('button', { name: 'Assign to user' }));
    await user.type(screen.getByLabelText('Note'), 'called the wing');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    await user.selectOptions(screen.getByLabelText('Outcome'), 'false-positive');
    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    await user.selectOptions(screen.getByLabelText('Silence target'), 'rule:drone-drop');
    await user.clear(screen.getByLabelText('Minutes (1-1440)'));
    await user.type(screen.getByLabelText('Minutes (1-1440)'), '90');
    await user.type(screen.getByLabelText('Reason'), 'maintenance on radar');
    await user.click(screen.getByRole('button', { name: 'Silence' }));
    await waitFor(() => expect(posts(server)).toHaveLength(5));
    expect(posts(server).map((c) => [c.path, c.body])).toEqual([
      ['/api/alerts/al%2F42/assign', { rev: 2 }],
      ['/api/alerts/al%2F42/assign', { rev: 2, assignee: 'kees' }],
      ['/api/alerts/al%2F42/note', { rev: 2, note: 'called the wing' }],
      ['/api/alerts/al%2F42/resolve', { rev: 2, outcome: 'false-positive' }],
      [
        '/api/alerts/al%2F42/silence',
        { rev: 2, rule: 'drone-drop', durationMin: 90, reason: 'maintenance on radar' },
      ],
    ]);
  });

  test('a note typed before Resolve goes with the resolution, and the box empties', async () => {
    const { server, d } = detail();
    server.on('POST', /\/resolve$/, () => {
      const next = { ...d, alert: { ...d.alert, rev: 3, status: 'resolved' as const } };
      server.details.set('al/42', next);
      return { status: 200, body: { alert: next.alert, console: {} } };
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Note'), ' phone found under the bed ');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'confirmed');
    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(screen.getByTestId('alert-status').textContent).toBe('resolved'));
    expect(posts(server)).toEqual([
      {
        method: 'POST',
        path: '/api/alerts/al%2F42/resolve',
        body: { rev: 2, outcome: 'confirmed', note: 'phone found under the bed' },
      },
    ]);
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByText('Resolved with the note (rev 3).')).toBeTruthy();
  });

  test('a note typed before Acknowledge goes with it; a failed one keeps the note in the box', async () => {
    const { server, d } = detail();
    let fail = true;
    server.on('POST', /\/acknowledge$/, () => {
      if (fail) return { status: 503, body: { error: 'database unavailable' } };
      const next = { ...d, alert: { ...d.alert, rev: 3, status: 'acknowledged' as const } };
      server.details.set('al/42', next);
      return { status: 200, body: { alert: next.alert, console: {} } };
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Note'), 'on my way to wing A');
    await user.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect((await screen.findByRole('alert')).textContent).toContain('database unavailable');
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('on my way to wing A');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(screen.getByTestId('alert-status').textContent).toBe('acknowledged'));
    expect(posts(server).map((c) => c.body)).toEqual([
      { rev: 2, note: 'on my way to wing A' },
      { rev: 2, note: 'on my way to wing A' },
    ]);
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('');
  });

  test('an empty note or assignee is refused in plain words, sending nothing', async () => {
    const { server } = detail();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add note' }));
    expect(screen.getByRole('alert').textContent).toBe('Write a note first.');
    await user.type(screen.getByLabelText('Note'), '   ');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(screen.getByRole('alert').textContent).toBe('Write a note first.');
    await user.click(screen.getByRole('button', { name: 'Assign to user' }));
    expect(screen.getByRole('alert').textContent).toMatch(/^Name the user to assign/);
    expect(posts(server)).toEqual([]);
  });

  test('instants in the summary are shown in local time, like the other times on the page', async () => {
    const at = '2026-11-29T19:23:22.924Z';
    detail('operator', { summary: `Nothing from gsm-a-1 since it was expected at ${at}; zone a-01 blind.` });
    const summary = await screen.findByText(/^Nothing from gsm-a-1/);
    expect(summary.textContent).toBe(
      `Nothing from gsm-a-1 since it was expected at ${formatTime(at)}; zone a-01 blind.`,
    );
  });

  test("the pilot's position from the newest Remote ID report is among the facts", async () => {
    const remote = (eventId: string, observedAt: string, lat: number): SensorEvent =>
      ({
        ...EVENTS[1]!,
        eventId,
        observedAt,
        detection: 'remote-id',
        remoteId: { uasId: 'NLD-abc', operatorLat: lat, operatorLon: 5.29 },
      }) as SensorEvent;
    detail('operator', {}, [
      remote('rid-2', '2026-03-01T02:00:09.000Z', 51.66),
      remote('rid-1', '2026-03-01T02:00:04.000Z', 51.65),
      EVENTS[0]!,
    ]);
    const pilot = await screen.findByText('Pilot (Remote ID)');
    expect(pilot.nextElementSibling?.textContent).toBe(
      `51.66000, 5.29000 (NLD-abc, ${formatTime('2026-03-01T02:00:09.000Z')})`,
    );
  });

  test('no pilot fact without a Remote ID operator position', async () => {
    detail();
    await screen.findByRole('region', { name: 'Evidence' });
    await waitFor(() => expect(screen.getAllByText('trk-9').length).toBeGreaterThan(0));
    expect(screen.queryByText('Pilot (Remote ID)')).toBeNull();
  });

  test('a 409 shows the server message and reloads the alert', async () => {
    const { server, d } = detail();
    server.on('POST', /\/acknowledge$/, () => {
      // Someone else acknowledged it meanwhile.
      server.details.set('al/42', { ...d, alert: { ...d.alert, rev: 3, status: 'acknowledged' } });
      return { status: 409, body: { error: 'alert al/42 is at rev 3, not 2; reload it' } };
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('alert al/42 is at rev 3, not 2; reload it');
    await waitFor(() => expect(screen.getByTestId('alert-status').textContent).toBe('acknowledged'));
    expect(server.calls.filter((c) => c.method === 'GET' && c.path === '/api/alerts/al%2F42')).toHaveLength(
      2,
    );
    // The message stays after the reload.
    expect(screen.getByRole('alert').textContent).toContain('reload it');
  });

  test('a 400 with issues is shown with each field', async () => {
    const { server } = detail();
    server.on('POST', /\/silence$/, () => ({
      status: 400,
      body: {
        error: 'invalid silence request',
        issues: [{ path: 'reason', message: 'Too small: expected at least 3' }],
      },
    }));
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Silence' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('invalid silence request');
    expect(alert.textContent).toContain('reason');
    expect(alert.textContent).toContain('Too small: expected at least 3');
  });

  test('an analyst reads but every action button is disabled', async () => {
    const { server } = detail('analyst');
    await screen.findByRole('heading', { level: 1, name: 'Drone drop near wing A' });
    for (const name of ['Acknowledge', 'Assign to me', 'Add note', 'Resolve', 'Silence']) {
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled, name).toBe(true);
    }
    await userEvent.setup().click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(posts(server)).toEqual([]);
    expect(screen.getByText(/can read alerts but not act/)).toBeTruthy();
  });

  test('resolve asks for an outcome instead of assuming one', async () => {
    const { server } = detail();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Resolve' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Choose an outcome first/);
    expect(posts(server)).toEqual([]);
  });

  test('a resolved alert offers only note and silence', async () => {
    detail('operator', { status: 'resolved' });
    await screen.findByRole('heading', { level: 1, name: 'Drone drop near wing A' });
    const enabled = (name: string) => !(screen.getByRole('button', { name }) as HTMLButtonElement).disabled;
    expect(enabled('Acknowledge')).toBe(false);
    expect(enabled('Assign to me')).toBe(false);
    expect(enabled('Resolve')).toBe(false);
    expect(enabled('Add note')).toBe(true);
    expect(enabled('Silence')).toBe(true);
  });

  test('an unknown alert shows the server error', async () => {
    fakeServer();
    window.history.replaceState(null, '', '/alerts/nope');
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('no alert nope');
  });
});
