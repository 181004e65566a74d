import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App } from '../components/app';
import { fakeServer } from '../test-support';
import type { Role } from '../types';

vi.mock('socket.io-client', async () => (await import('../test-support')).socketIoMock);

const IDLE = {
  phase: 'idle',
  counters: { published: 0, accepted: 0, rejected: 0, alerts: 0, faults: 0, silenced: 0, publishErrors: 0 },
  silences: [],
  scenarios: [{ id: 'drone-drop', name: 'drone drop', site: 'demo' }],
  sites: [{ id: 'demo', name: 'PI Demo' }],
  faults: ['json'],
};

function signedIn(role: Role, path: string) {
  const server = fakeServer({ session: { username: 'u', role, expiresAt: '2099-01-01T00:00:00Z' } });
  server.on('GET', /^\/api\/simulator$/, () => ({ status: 200, body: IDLE }));
  window.history.replaceState(null, '', path);
  render(<App />);
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the /simulator route and its nav link', () => {
  test('a tester gets the simulator page and the link', async () => {
    signedIn('tester', '/');
    expect(await screen.findByRole('heading', { name: 'Simulator' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Simulator' }).getAttribute('href')).toBe('/simulator');
  });

  test('an admin gets it at /simulator', async () => {
    signedIn('admin', '/simulator');
    expect(await screen.findByRole('heading', { name: 'Simulator' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Start' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Simulator' })).toBeTruthy();
  });

  test.each(['operator', 'analyst'] as const)('an %s has no link and no page', async (role) => {
    signedIn(role, '/simulator');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Simulator' })).toBeNull();
  });
});
