import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, USERS, useE2eHarness } from '../support/e2e';
import { waitFor } from '../support/harness';

// The testers' simulator page (console/web/UI-CONTRACT.md, "Simulator page") in Chromium against a real
// console: the scenario's traffic goes through NATS into ingest and the detectors, whose alerts the console's
// simulator controller judges. A tester sees the counters rise and the expectations met, and no detainee data.

const h = useE2eHarness('simulator-');

const COUNTERS = ['published', 'accepted', 'alerts'] as const;
type Counts = Record<(typeof COUNTERS)[number], number>;

async function countsOf(page: Page): Promise<Counts> {
  const counts = {} as Counts;
  for (const name of COUNTERS)
    counts[name] = Number(await page.getByTestId(`count-${name}`).getAttribute('data-count'));
  return counts;
}

describe('simulator in Chromium', () => {
  it('a tester signs in, runs the drone drop and sees its expectations met and the counters rise', async () => {
    const { page } = await h.anonymous();
    await page.goto('/');
    await page.getByLabel('Username', { exact: true }).fill(USERS.tester);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Simulator', exact: true }).click();
    await page.getByRole('heading', { name: 'Simulator', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/simulator');
    expect(await page.getByTestId('sim-phase').textContent()).toBe('idle');

    await page.getByLabel('Site').selectOption('demo');
    await page.getByLabel('Scenario or traffic').selectOption('scenario:drone-drop');
    // The scenario spans six hours of event time: at 3,600 x real time a heartbeat round goes out each second,
    // slow enough to watch the counters climb.
    await page.getByLabel('Speed (× real time)').fill('3600');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(
      async () => ['running', 'finished'].includes((await page.getByTestId('sim-phase').textContent()) ?? ''),
      10_000,
      'the run to start',
    );

    // Sample what the page shows (it polls every second) until the run is over and judged.
    const seen: Counts[] = [];
    await waitFor(
      async () => {
        seen.push(await countsOf(page));
        const phase = await page.getByTestId('sim-phase').textContent();
        const verdicts = await page
          .getByTestId('expectation')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict')));
        return phase === 'finished' && verdicts.length > 0 && !verdicts.includes('pending');
      },
      60_000,
      'the scenario to finish with every expectation decided',
    );

    const rows = page.getByTestId('expectation');
    const judged = await rows.evaluateAll((els) =>
      els.map((r) => ({
        rule: r.getAttribute('data-rule'),
        verdict: r.getAttribute('data-verdict'),
        alertId: r.getAttribute('data-alert-id'),
      })),
    );
    expect(judged.map((e) => [e.rule, e.verdict])).toEqual([
      ['drone-incursion', 'met'],
      ['drone-drop', 'met'],
      ['contraband-delivery', 'met'],
    ]);
    // Each met expectation names the alert that met it, and the page shows it.
    for (const [i, e] of judged.entries()) {
      expect(e.alertId).toMatch(new RegExp(`^demo\\.exercise:${e.rule}:`));
      expect(await rows.nth(i).textContent()).toContain(e.alertId);
      expect(await rows.nth(i).locator('td.verdict-met').textContent()).toBe('met');
    }
    await page
      .getByRole('table', { name: /Expectations/ })
      .getByText('3 met, 0 late, 0 missed')
      .waitFor();

    // Ingest stores every published message (23 sensors beat 7 times, 9 drone reports, a call); the alerts
    // counter counts the exercise revisions the controller saw.
    const total = 7 * 23 + 10;
    await waitFor(
      async () => (await countsOf(page)).accepted === total,
      20_000,
      'the accepted counter to reach the published total',
    );
    const last = await countsOf(page);
    expect(last.published).toBe(total);
    expect(last.alerts).toBeGreaterThanOrEqual(3);
    expect(Number(await page.getByTestId('count-rejected').getAttribute('data-count'))).toBe(0);

    // The counters rose while the run went on: never down, and the page showed published figures between
    // none and the total.
    seen.push(last);
    for (const name of COUNTERS)
      for (let i = 1; i < seen.length; i++) expect(seen[i]![name]).toBeGreaterThanOrEqual(seen[i - 1]![name]);
    const published = new Set(seen.map((c) => c.published));
    expect([...published].filter((n) => n > 0 && n < total).length).toBeGreaterThanOrEqual(1);
    expect(new Set(seen.map((c) => c.accepted)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(seen.map((c) => c.alerts)).size).toBeGreaterThanOrEqual(2);
    await h.screenshot(page, 'simulator-tester');
  });

  it('a tester has no History link and cannot open detainee data', async () => {
    const { page, context } = await h.signIn('tester');
    await page.goto('/history/detainees/d-3');
    // A tester sees only the simulator, whatever the path.
    await page.getByRole('heading', { name: 'Simulator', level: 1 }).waitFor();
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Simulator', exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: 'History', exact: true }).count()).toBe(0);
    expect(await page.getByTestId('timeline-item').count()).toBe(0);
    expect(await page.getByTestId('logged-note').count()).toBe(0);

    // Nor through the API, with the page's own session.
    for (const path of [
      '/api/history/detainees/d-3/timeline',
      '/api/history/events?detaineeId=d-3',
      '/api/alerts',
    ])
      expect((await context.request.get(path)).status(), path).toBe(403);
  });
});
