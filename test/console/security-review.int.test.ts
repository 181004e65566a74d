import { LoginRateLimit } from '@wachtpost/console';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';

// Weaknesses found in the security review of the console server, each shown against a running server.
let h: ConsoleHarness;
let server: RunningConsole;

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole({ rateLimit: new LoginRateLimit(5, 60_000) });
  await h.addUser('rita', 'operator');
});
afterAll(() => h?.close());

const login = (username: string, password: string) =>
  h.api(server.base, undefined, 'POST', '/api/session', { username, password });

describe('login rate limit', () => {
  it('holds for guesses sent in parallel: no more than the budget is ever checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('rita', `wrong password ${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    // And the right password waits too, as after sequential failures.
    expect((await login('rita', PASSWORD)).status).toBe(429);
  });
});
