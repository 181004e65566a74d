import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { App } from '../components/app';
import { entry, fakeServer, SITE, type FakeServer, resetAppAroundEachTest } from '../test-support';
import type { Role } from '../types';
import { checkSilence, ruleChoices, silenceBody, type Silence } from './silences-api';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

const UNTIL = '2099-01-01T03:00:00.000Z';

/** A fake console with the silences routes, keeping the active silences the way the server does. */
function silencesServer(role: Role = 'operator') {
  const server = fakeServer({
    session: { username: 'olga', role, expiresAt: '2099-01-01T00:00:00Z' },
    alerts: [entry({ rule: 'some-new-rule' })],
  });
  let nextId = 2;
  const active: Silence[] = [
    {
      id: 1,
      siteId: 'demo',
      sensorId: 'gsm-a-1',
      rule: null,
      reason: 'maintenance on wing A',
      createdBy: 'piet',
      createdAt: '2099-01-01T01:00:00.000Z',
      until: UNTIL,
    },
  ];
  server.on('GET', /^\/api\/silences$/, () => ({ status: 200, body: { silences: active } }));
  server.on('POST', /^\/api\/silences$/, (call) => {
    const b = call.body as { siteId: string; sensorId?: string; rule?: string; reason: string };
    const s: Silence = {
      id: nextId++,
      siteId: b.siteId,
      sensorId: b.sensorId ?? null,
      rule: b.rule ?? null,
      reason: b.reason,
      createdBy: 'olga',
      createdAt: '2099-01-01T02:00:00.000Z',
      until: UNTIL,
    };
    active.push(s);
    return { status: 201, body: s };
  });
  server.on('DELETE', /^\/api\/silences\/(\d+)$/, (_c, m) => {
    const i = active.findIndex((s) => s.id === Number(m[1]));
    if (i < 0) return { status: 404, body: { error: `no active silence ${m[1]}` } };
    const [lifted] = active.splice(i, 1);
    return { status: 200, body: lifted };
  });
  return server;
}

function start(server: FakeServer) {
  window.history.replaceState(null, '', '/silences');
  render(<App />);
  return server;
}

const rows = () => screen.queryAllByTestId('silence-row');
const silenceCalls = (server: FakeServer, method: string) =>
  server.calls.filter((c) => c.method === method && c.path.startsWith('/api/silences'));

resetAppAroundEachTest();

describe('silences page', () => {
  test('lists the active silences with target, site, until, by and reason; Lift lifts one', async () => {
    const server = start(silencesServer());
    expect(await screen.findByRole('heading', { name: 'Silences', level: 1 })).toBeTruthy();
    await waitFor(() => expect(rows()).toHaveLength(1));
    const row = rows()[0]!;
    expect(row.dataset.silenceId).toBe('1');
    for (const text of ['sensor gsm-a-1', 'PI Demo', 'piet', 'maintenance on wing A'])
      expect(row.textContent).toContain(text);

    await userEvent
      .setup()
      .click(within(row).getByRole('button', { name: 'Lift silence of sensor gsm-a-1' }));
    await waitFor(() => expect(rows()).toHaveLength(0));
    expect(silenceCalls(server, 'DELETE').map((c) => c.path)).toEqual(['/api/silences/1']);
    expect(screen.getByText('Lifted the silence of sensor gsm-a-1 at PI Demo.')).toBeTruthy();
    expect(screen.getByText('No active silences.')).toBeTruthy();
  });

  test('silences a sensor of the site for a bounded time with a reason', async () => {
    const server = start(silencesServer());
    const u = userEvent.setup();
    // One site configured: it is chosen already; its sensors are the choices.
    const site = (await screen.findByLabelText('Site')) as HTMLSelectElement;
    await waitFor(() => expect(site.value).toBe('demo'));
    const target = screen.getByLabelText('Sensor or rule');
    const options = () =>
      within(target)
        .getAllByRole('option')
        .map((o) => (o as HTMLOptionElement).value);
    expect(options()).toEqual(expect.arrayContaining(SITE.sensors.map((s) => `sensor:${s.id}`)));
    // Known rules, and the rules of the alerts held (once they are loaded).
    await waitFor(() =>
      expect(options()).toEqual(expect.arrayContaining(['rule:drone-incursion', 'rule:some-new-rule'])),
    );

    await u.selectOptions(target, 'sensor:radar-1');
    const minutes = screen.getByLabelText('Duration (minutes, 1-1440)');
    await u.clear(minutes);
    await u.type(minutes, '30');
    await u.click(screen.getByRole('button', { name: 'Add silence' }));
    // No reason: said at once, nothing sent.
    expect((await screen.findByRole('alert')).textContent).toContain('Give a reason');
    expect(silenceCalls(server, 'POST')).toHaveLength(0);

    await u.type(screen.getByLabelText('Reason'), 'radar recalibration');
    await u.click(screen.getByRole('button', { name: 'Add silence' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(silenceCalls(server, 'POST')[0]?.body).toEqual({
      siteId: 'demo',
      sensorId: 'radar-1',
      durationMin: 30,
      reason: 'radar recalibration',
    });
    expect(rows()[1]!.textContent).toContain('sensor radar-1');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(await screen.findByText(/^Silenced sensor radar-1 at PI Demo until/)).toBeTruthy();
    expect((screen.getByLabelText('Reason') as HTMLInputElement).value).toBe('');
  });

  test("silences a rule; a refusal shows the server's message in an alert", async () => {
    const server = start(silencesServer());
    server.on('POST', /^\/api\/silences$/, () => ({
      status: 400,
      body: { error: 'invalid silence', issues: [{ path: 'rule', message: 'must be a rule id' }] },
    }));
    const u = userEvent.setup();
    await waitFor(() => expect((screen.getByLabelText('Site') as HTMLSelectElement).value).toBe('demo'));
    await u.selectOptions(screen.getByLabelText('Sensor or rule'), 'rule:gsm-burst');
    await u.type(screen.getByLabelText('Reason'), 'drill in wing B');
    await u.click(screen.getByRole('button', { name: 'Add silence' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('invalid silence');
    expect(alert.textContent).toContain('must be a rule id');
    expect(silenceCalls(server, 'POST')[0]?.body).toMatchObject({ rule: 'gsm-burst', durationMin: 60 });
    // Kept, to try again.
    expect((screen.getByLabelText('Reason') as HTMLInputElement).value).toBe('drill in wing B');
  });

  test('an analyst reads the silences but gets no Lift button and no form', async () => {
    start(silencesServer('analyst'));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByRole('button', { name: /Lift/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add silence' })).toBeNull();
    expect(screen.getByText('Your role (analyst) can read silences but not add or lift them.')).toBeTruthy();
    const nav = screen.getByRole('navigation');
    expect(within(nav).getByRole('link', { name: 'Silences' }).getAttribute('aria-current')).toBe('page');
  });

  test('form checks and the request body', () => {
    const ok = { siteId: 'demo', target: 'sensor:radar-1', minutes: '60', reason: 'why not' };
    expect(checkSilence(ok)).toBeUndefined();
    expect(checkSilence({ ...ok, siteId: '' })).toMatch(/site/);
    expect(checkSilence({ ...ok, target: '' })).toMatch(/sensor or a rule/);
    for (const minutes of ['0', '1441', '1.5', '', 'x'])
      expect(checkSilence({ ...ok, minutes }), minutes).toMatch(/1 to 1440/);
    expect(checkSilence({ ...ok, reason: '  a ' })).toMatch(/reason/);
    expect(silenceBody({ ...ok, target: 'rule:gsm-burst', reason: ' r s t ' })).toEqual({
      siteId: 'demo',
      rule: 'gsm-burst',
      durationMin: 60,
      reason: 'r s t',
    });
    expect(ruleChoices([entry({ rule: 'zz-rule' })]).at(-1)).toBe('zz-rule');
  });
});
