import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { SimulatorView } from './simulator-api';
import { SimulatorPage } from './simulator-page';

const IDLE: SimulatorView = {
  phase: 'idle',
  counters: { published: 0, accepted: 0, rejected: 0, alerts: 0, faults: 0, silenced: 0, publishErrors: 0 },
  silences: [],
  scenarios: [
    { id: 'drone-drop', name: 'drone drop followed by a phone in the wing below', site: 'demo' },
    { id: 'broken', name: 'broken', site: 'demo', error: 'broken.yaml: timeline[0].at: expected a time' },
  ],
  sites: [{ id: 'demo', name: 'PI Demo' }],
  faults: ['json', 'schema', 'duplicate', 'silence'],
};

const RUNNING: SimulatorView = {
  ...IDLE,
  phase: 'running',
  run: { siteId: 'demo', mode: 'scenario', scenario: 'drone-drop', speed: 3600, rate: 100, startedAt: 1 },
  simulatedAt: '2026-03-02T22:00:05.000Z',
  counters: { ...IDLE.counters, published: 171, accepted: 170, rejected: 1, alerts: 4 },
  summary: { met: 1, late: 1, missed: 1, pending: 0 },
  expectations: [
    {
      index: 0,
      after: 'drop',
      rule: 'drone-drop',
      target: 'radar-1/trk-night-1',
      severity: 'critical',
      withinMs: 120_000,
      verdict: 'met',
      alertId: 'demo.exercise:drone-drop:radar-1/trk-night-1',
      rev: 1,
      latencyMs: 40_000,
    },
    {
      index: 1,
      after: 'call',
      rule: 'contraband-delivery',
      target: 'wing=a cell=a-05',
      severity: 'critical',
      withinMs: 600_000,
      verdict: 'late',
      alertId: 'demo.exercise:contraband-delivery:a',
      rev: 2,
      latencyMs: 660_000,
    },
    {
      index: 2,
      after: 'drop',
      rule: 'drone-incursion',
      target: 'radar-1/x',
      withinMs: 60_000,
      verdict: 'missed',
    },
  ],
};

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

let calls: Call[];
let answers: Map<string, { status: number; body: unknown }>;

function answer(method: string, path: string, status: number, body: unknown) {
  answers.set(`${method} ${path}`, { status, body });
}

beforeEach(() => {
  calls = [];
  answers = new Map();
  answer('GET', '/api/simulator', 200, IDLE);
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, path, ...(init.body !== undefined && { body: JSON.parse(String(init.body)) }) });
    const a = answers.get(`${method} ${path}`) ?? {
      status: 404,
      body: { error: `no route ${method} ${path}` },
    };
    return new Response(JSON.stringify(a.body), {
      status: a.status,
      headers: { 'content-type': 'application/json' },
    });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const posts = () => calls.filter((c) => c.method !== 'GET');

describe('SimulatorPage', () => {
  test('starts the chosen scenario at the chosen speed and shows the run', async () => {
    const user = userEvent.setup();
    render(<SimulatorPage pollMs={60_000} />);
    const start = await screen.findByRole('button', { name: 'Start' });
    expect(screen.getByTestId('sim-phase').textContent).toBe('idle');
    // A scenario file that does not load is listed but cannot be chosen.
    expect((screen.getByRole('option', { name: 'broken' }) as HTMLOptionElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Pause' })).toHaveProperty('disabled', true);

    const speed = screen.getByLabelText('Speed (× real time)');
    await user.clear(speed);
    await user.type(speed, '20000');
    answer('POST', '/api/simulator/start', 200, RUNNING);
    await user.click(start);

    expect(posts()).toEqual([
      {
        method: 'POST',
        path: '/api/simulator/start',
        body: { siteId: 'demo', scenario: 'drone-drop', speed: 20000 },
      },
    ]);
    await waitFor(() => expect(screen.getByTestId('sim-phase').textContent).toBe('running'));
    expect(screen.getByTestId('count-published').textContent).toMatch(/^171/);
    expect(screen.getByTestId('count-rejected').textContent).toMatch(/^1 rejected/);

    const table = screen.getByRole('table', { name: /Expectations/ });
    expect(within(table).getByText(/1 met, 1 late, 1 missed/)).toBeTruthy();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      [
        'drop',
        'drone-drop',
        'radar-1/trk-night-1',
        'critical',
        '2m',
        'met',
        '40s',
        'demo.exercise:drone-drop:radar-1/trk-night-1 (rev 1)',
      ],
      [
        'call',
        'contraband-delivery',
        'wing=a cell=a-05',
        'critical',
        '10m',
        'late',
        '11m',
        'demo.exercise:contraband-delivery:a (rev 2)',
      ],
      ['drop', 'drone-incursion', 'radar-1/x', '-', '1m', 'missed', '-', '-'],
    ]);
    expect(within(rows[2]!).getByText('missed').className).toBe('verdict-missed');
    // What the e2e tests read (UI-CONTRACT.md, "Simulator page").
    expect(
      screen
        .getAllByTestId('expectation')
        .map((r) => [r.dataset.rule, r.dataset.verdict, r.dataset.alertId ?? null]),
    ).toEqual([
      ['drone-drop', 'met', 'demo.exercise:drone-drop:radar-1/trk-night-1'],
      ['contraband-delivery', 'late', 'demo.exercise:contraband-delivery:a'],
      ['drone-incursion', 'missed', null],
    ]);
    expect(screen.getByTestId('count-alerts').dataset.count).toBe('4');
  });

  test('pauses, re-paces, injects a silence and stops, and shows a refusal as the server gave it', async () => {
    const user = userEvent.setup();
    answer('GET', '/api/simulator', 200, RUNNING);
    render(<SimulatorPage pollMs={60_000} />);
    const pause = await screen.findByRole('button', { name: 'Pause' });
    // A run is active: the start form's fieldset is disabled.
    expect(screen.getByRole('button', { name: 'Start' }).matches(':disabled')).toBe(true);

    answer('POST', '/api/simulator/pause', 200, { ...RUNNING, phase: 'paused' });
    await user.click(pause);
    await waitFor(() => expect(screen.getByTestId('sim-phase').textContent).toBe('paused'));

    answer('PATCH', '/api/simulator', 409, { error: 'nothing to change (the simulator is stopped)' });
    await user.click(screen.getByRole('button', { name: 'Apply speed' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/nothing to change/);

    await user.selectOptions(screen.getByLabelText('Fault'), 'silence');
    await user.type(screen.getByLabelText('Sensor'), 'gsm-a-1');
    answer('POST', '/api/simulator/faults', 200, {
      ...RUNNING,
      phase: 'paused',
      silences: [{ sensorId: 'gsm-a-1', until: '2026-03-02T22:05:00.000Z' }],
    });
    await user.click(screen.getByRole('button', { name: 'Inject' }));
    expect(await screen.findByText(/Silenced: gsm-a-1 until/)).toBeTruthy();
    // The earlier refusal is cleared by the next success.
    expect(screen.queryByRole('alert')).toBeNull();

    answer('POST', '/api/simulator/stop', 200, { ...RUNNING, phase: 'stopped' });
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(screen.getByTestId('sim-phase').textContent).toBe('stopped'));

    expect(posts()).toEqual([
      { method: 'POST', path: '/api/simulator/pause', body: {} },
      { method: 'PATCH', path: '/api/simulator', body: { speed: 3600 } },
      {
        method: 'POST',
        path: '/api/simulator/faults',
        body: { fault: 'silence', sensorId: 'gsm-a-1', forS: 300 },
      },
      { method: 'POST', path: '/api/simulator/stop', body: {} },
    ]);
  });

  test('starts a paced load with its rate', async () => {
    const user = userEvent.setup();
    render(<SimulatorPage pollMs={60_000} />);
    await user.selectOptions(await screen.findByLabelText('Scenario or traffic'), 'load');
    const rate = screen.getByLabelText('Rate (events/s)');
    await user.clear(rate);
    await user.type(rate, '500');
    answer('POST', '/api/simulator/start', 400, {
      error: 'invalid request',
      issues: [{ path: 'rate', message: 'Too big' }],
    });
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(posts()).toEqual([
      { method: 'POST', path: '/api/simulator/start', body: { siteId: 'demo', mode: 'load', rate: 500 } },
    ]);
    expect((await screen.findByRole('alert')).textContent).toBe('invalid requestrate Too big');
  });

  test('polls the server for live counters', async () => {
    render(<SimulatorPage pollMs={50} />);
    await screen.findByRole('button', { name: 'Start' });
    answer('GET', '/api/simulator', 200, RUNNING);
    await waitFor(() => expect(screen.getByTestId('count-published').textContent).toMatch(/^171/));
    expect(calls.filter((c) => c.method === 'GET').length).toBeGreaterThanOrEqual(2);
  });
});
