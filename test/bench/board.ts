import { createLogger, ensureWebApp, REPO_ROOT } from '@wachtpost/platform';
import { chromium } from 'playwright-core';
import { makeAlert, PASSWORD, startConsoleHarness } from '../support/console';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/e2e';
import type { Benchmark } from './registry';
import { round } from './stats';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const RULES = [
  'drone-incursion',
  'persistent-phone',
  'search-missed',
  'gsm-burst',
  'sensor-offline',
] as const;

/**
 * The control-room board in headless Chromium with N open alerts (default 10,000): the time from opening the
 * page to the counters showing every alert, the time to jump to the end of the list, the rows in the DOM
 * (virtualised: a window, not N), the page's JS heap, and the time from publishing a new critical alert to
 * its row on screen.
 */
export const boardBench: Benchmark = {
  name: 'board',
  async run({ events = 10_000 }) {
    await ensureWebApp(REPO_ROOT, createLogger({ log: { level: 'warn', pretty: false } }));
    const h = await startConsoleHarness();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const running = await h.startConsole();
      await h.addUser('bench', 'operator');
      const now = Date.now();
      const alerts = Array.from({ length: events }, (_, i) => {
        const at = new Date(now - i * 1000).toISOString();
        return makeAlert({
          alertId: `demo:bench:${i}`,
          rule: RULES[i % RULES.length]!,
          severity: SEVERITIES[i % SEVERITIES.length]!,
          status: i % 7 === 0 ? 'acknowledged' : 'open',
          wingId: ['a', 'b', 'c', 'd'][i % 4]!,
          title: `Bench alert ${i}`,
          firstEventAt: at,
          lastEventAt: at,
          openedAt: at,
          updatedAt: at,
        });
      });
      // One statement: the board reads the alerts table; live push is measured separately below.
      await h.pool.query(
        `INSERT INTO alerts (alert_id, rev, rule, severity, status, site_id, wing_id, exercise, first_event_at,
                             last_event_at, opened_at, updated_at, body)
         SELECT a->>'alertId', (a->>'rev')::int, a->>'rule', a->>'severity', a->>'status', a->>'siteId',
                a->>'wingId', (a->>'exercise')::boolean, (a->>'firstEventAt')::timestamptz,
                (a->>'lastEventAt')::timestamptz, (a->>'openedAt')::timestamptz, (a->>'updatedAt')::timestamptz, a
         FROM unnest($1::jsonb[]) AS a`,
        [alerts.map((a) => JSON.stringify(a))],
      );

      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(`${running.base}/login`);
      await page.getByLabel('Username').fill('bench');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-alert-id]').first().waitFor();

      // A fresh load of the board, timed in the page from navigation start.
      const loadStarted = Date.now();
      await page.goto(`${running.base}/`);
      const perSeverity = events / SEVERITIES.length;
      await page
        .getByTestId('count-info')
        .filter({ hasText: String(perSeverity) })
        .waitFor({ timeout: 120_000 });
      const loadMs = Date.now() - loadStarted;
      const rowsInDom = await page.locator('[data-alert-id]').count();

      const list = page.getByLabel('Alerts', { exact: true });
      await list.locator('[data-alert-id]').first().focus();
      const scrollStarted = Date.now();
      await page.keyboard.press('End');
      // Acknowledged alerts sort last: one on screen means the list is at its end.
      await page.locator('[data-alert-id][data-status="acknowledged"]').first().waitFor();
      const scrollToEndMs = Date.now() - scrollStarted;

      await page.keyboard.press('Home');
      const live = makeAlert({
        alertId: 'demo:bench:live',
        severity: 'critical',
        title: 'Bench live critical',
      });
      const pushStarted = Date.now();
      await h.seedAlert(live);
      await page.locator('[data-alert-id="demo:bench:live"]').waitFor({ timeout: 30_000 });
      const livePushMs = Date.now() - pushStarted;

      const heap = await page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize,
      );
      return [
        {
          bench: 'board',
          alerts: events,
          loadMs,
          rowsInDom,
          scrollToEndMs,
          livePushMs,
          heapMB: heap === undefined ? null : round(heap / 1e6),
        },
      ];
    } finally {
      await browser.close();
      await h.close();
    }
  },
};
