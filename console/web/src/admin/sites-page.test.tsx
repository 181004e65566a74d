import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { App } from '../components/app';
import { fakeServer, SITE, type FakeServer, resetAppAroundEachTest } from '../test-support';
import type { Role } from '../types';
import type { SiteValidation } from './sites-api';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

/** A fake console whose validate route answers `answer` (or by the text sent, through a function). */
function sitesServer(role: Role = 'admin', answer: (yaml: string) => SiteValidation = () => VALID) {
  const server = fakeServer({ session: { username: 'admin', role, expiresAt: '2099-01-01T00:00:00Z' } });
  server.on('POST', /^\/api\/sites\/validate$/, (call) => ({
    status: 200,
    body: answer((call.body as { yaml: string }).yaml),
  }));
  return server;
}

const VALID: SiteValidation = {
  valid: true,
  siteId: 'demo',
  name: 'PI Demo',
  wings: 2,
  cells: 6,
  sensors: 3,
  differences: {
    wings: { added: ['c'], removed: [] },
    cells: { added: ['c-01', 'c-02'], removed: ['b-02'] },
    sensors: { added: [], removed: [] },
  },
};

function start(server: FakeServer, path = '/admin/sites') {
  window.history.replaceState(null, '', path);
  render(<App />);
  return server;
}
const validateCalls = (server: FakeServer) => server.calls.filter((c) => c.path === '/api/sites/validate');

resetAppAroundEachTest();

describe('sites page', () => {
  test('lists the loaded models: id, name, time zone, wings with cell counts, sensors with kind and heartbeat', async () => {
    start(sitesServer());
    expect(await screen.findByRole('heading', { name: 'Sites', level: 1 })).toBeTruthy();
    const site = await screen.findByTestId('site');
    expect(site.dataset.siteId).toBe('demo');
    expect(site.textContent).toContain('PI Demo');
    expect(site.textContent).toContain('Time zone: Europe/Amsterdam');
    const wings = within(screen.getByRole('table', { name: 'Wings of PI Demo' })).getAllByTestId('wing-row');
    expect(wings.map((w) => [w.dataset.wingId, w.dataset.cells])).toEqual([
      ['a', '4'],
      ['b', '2'],
    ]);
    const sensors = within(screen.getByRole('table', { name: 'Sensors of PI Demo' })).getAllByTestId(
      'sensor-row',
    );
    expect(sensors).toHaveLength(SITE.sensors.length);
    const radar = sensors.find((s) => s.dataset.sensorId === 'radar-1')!;
    expect(radar.textContent).toContain('drone');
    expect(radar.textContent).toContain('10 s');
    expect(screen.getByTestId('sites-note').textContent).toContain('WACHTPOST_SITES');
    expect(screen.getByTestId('sites-note').textContent).toContain('restarting the services');
  });

  test('validates the text and shows the counts and the differences from the loaded model', async () => {
    const server = start(sitesServer());
    const u = userEvent.setup();
    const button = await screen.findByRole('button', { name: 'Validate' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await u.click(screen.getByLabelText('Site model (YAML)'));
    await u.paste('id: demo\nname: PI Demo\n');
    await u.click(button);
    const ok = await screen.findByTestId('site-valid');
    expect(ok.textContent).toContain('2 wings, 6 cells and 3 sensors');
    const diffs = within(screen.getByRole('list', { name: 'Differences from the loaded model' }))
      .getAllByTestId('difference')
      .map((d) => d.textContent);
    expect(diffs).toEqual(['Wings added (1): c', 'Cells added (2): c-01, c-02', 'Cells removed (1): b-02']);
    expect(validateCalls(server).map((c) => c.body)).toEqual([{ yaml: 'id: demo\nname: PI Demo\n' }]);
    expect(screen.queryByRole('alert')).toBeNull();

    // Editing the text drops the result, which belonged to the old text.
    await u.type(screen.getByLabelText('Site model (YAML)'), '#');
    expect(screen.queryByTestId('site-valid')).toBeNull();
  });

  test('says so when nothing changes, and when the id is a new site', async () => {
    const server = sitesServer('admin', (yaml) =>
      yaml.startsWith('id: new')
        ? { ...VALID, siteId: 'new', differences: null }
        : {
            ...VALID,
            differences: {
              wings: { added: [], removed: [] },
              cells: { added: [], removed: [] },
              sensors: { added: [], removed: [] },
            },
          },
    );
    start(server);
    const u = userEvent.setup();
    await u.click(await screen.findByLabelText('Site model (YAML)'));
    await u.paste('id: demo');
    await u.click(screen.getByRole('button', { name: 'Validate' }));
    expect((await screen.findByTestId('site-valid')).textContent).toContain(
      'Same wings, cells and sensors as the loaded model.',
    );
    await u.clear(screen.getByLabelText('Site model (YAML)'));
    await u.paste('id: new');
    await u.click(screen.getByRole('button', { name: 'Validate' }));
    expect((await screen.findByTestId('site-valid')).textContent).toContain('this file would add a new site');
  });

  test('shows the errors of an invalid model in an alert list, each naming its path', async () => {
    start(
      sitesServer('admin', () => ({
        valid: false,
        errors: ['wings[0].cells[1]: duplicate cell id "a-01"', 'timezone: must be an IANA time zone'],
      })),
    );
    const u = userEvent.setup();
    await u.click(await screen.findByLabelText('Site model (YAML)'));
    await u.paste('id: demo');
    await u.click(screen.getByRole('button', { name: 'Validate' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('not valid (2 errors)');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['wings[0].cells[1]: duplicate cell id "a-01"', 'timezone: must be an IANA time zone']);
    expect(screen.queryByTestId('site-valid')).toBeNull();
  });

  test('Load file fills the text area; a refused request shows the server message', async () => {
    const server = start(sitesServer());
    server.on('POST', /^\/api\/sites\/validate$/, () => ({
      status: 413,
      body: { error: 'the site model is larger than 1048576 bytes' },
    }));
    const u = userEvent.setup();
    const file = new File(['id: demo\nname: From a file\n'], 'demo.yaml', { type: 'application/yaml' });
    await u.upload(await screen.findByLabelText('Load file'), file);
    await waitFor(() =>
      expect((screen.getByLabelText('Site model (YAML)') as HTMLTextAreaElement).value).toBe(
        'id: demo\nname: From a file\n',
      ),
    );
    await u.click(screen.getByRole('button', { name: 'Validate' }));
    expect((await screen.findByRole('alert')).textContent).toContain('larger than 1048576 bytes');
  });
});

describe('sites navigation', () => {
  test('an admin has the link Sites to /admin/sites next to Users', async () => {
    start(sitesServer(), '/');
    const nav = await screen.findByRole('navigation');
    const links = within(nav)
      .getAllByRole('link')
      .map((l) => l.textContent);
    expect(links.indexOf('Sites')).toBe(links.indexOf('Users') + 1);
    expect(within(nav).getByRole('link', { name: 'Sites' }).getAttribute('href')).toBe('/admin/sites');
  });

  test.each(['operator', 'analyst'] as const)(
    'an %s gets Not allowed on /admin/sites and no link',
    async (role) => {
      const server = start(sitesServer(role));
      expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeTruthy();
      expect(screen.getByRole('alert').textContent).toContain('for admins');
      expect(within(screen.getByRole('navigation')).queryByRole('link', { name: 'Sites' })).toBeNull();
      expect(validateCalls(server)).toEqual([]);
    },
  );
});
