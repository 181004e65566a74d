import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '@wachtpost/console';
import { ACTION_BUTTONS, PASSWORD, USERS, useE2eHarness } from '../support/e2e';

// The control room in a real Chromium against the built web app (console/web/UI-CONTRACT.md), a real
// console server, detectors and ingest on a private NATS and database. Alerts come from drone reports only:
// each raises its alert on arrival, and with no sensor heartbeats in the traffic the exercise lane raises no
// sensor-offline alerts as event time moves on, so the board stays short enough to show every row (the
// list is virtualised: a row scrolled far out of view is not in the DOM).

const h = useE2eHarness();

const row = (page: Page, alertId: string) => page.locator(`[data-alert-id="${alertId}"]`);
const banner = (page: Page) => page.getByTestId('live-banner');
const board = (page: Page) => page.locator('[aria-label="Alerts"]');

/** A marker in the page's window: still there later means the page was not reloaded. */
const mark = (page: Page) => page.evaluate('window.__wachtpostE2e = 42');
const marked = async (page: Page) => (await page.evaluate('window.__wachtpostE2e')) === 42;

/** Opens the board and waits until its socket is live (the console has it), so a push can reach it. */
async function openBoard(page: Page, role: Role): Promise<void> {
  const since = Date.now();
  await page.goto('/');
  await board(page).waitFor({ state: 'attached' });
  await h.waitForLiveSocket(role, since);
}

describe('console in Chromium', () => {
  it('signs in; a wrong password shows the server message', async () => {
    const { page } = await h.anonymous();
    // Any page without a session shows the login page.
    await page.goto('/alerts/not-signed-in');
    await page.getByLabel('Username', { exact: true }).fill(USERS.operator);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('wrong username or password');

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const nav = page.getByRole('navigation');
    await nav.waitFor();
    expect(await nav.getByRole('link', { name: 'Alerts', exact: true }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Wings', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText(USERS.operator, { exact: true }).first().waitFor();
  });

  it('shows an alert raised from a published sensor event on the board within 2 s', async () => {
    const { page } = await h.signIn('operator');
    await openBoard(page, 'operator');

    const started = performance.now();
    const alertId = await h.publishDrone('live');
    await row(page, alertId).waitFor({ timeout: 10_000 });
    const ms = performance.now() - started;
    console.log(`e2e: publish to board row ${ms.toFixed(0)} ms (${alertId})`);
    expect(ms).toBeLessThan(2000);

    const shown = row(page, alertId);
    expect(await shown.getAttribute('data-status')).toBe('open');
    expect(await shown.getAttribute('data-severity')).toBe('high');
    expect(await shown.getAttribute('data-rev')).toBe('1');
    const text = (await shown.textContent()) ?? '';
    expect(text).toContain('drone-incursion');
    expect(text).toContain('Drone incursion over');
    expect(text).toContain('HIGH');
    expect(text).toContain('EXERCISE');
    expect(Number(await page.getByTestId('count-high').textContent())).toBeGreaterThanOrEqual(1);
    for (const filter of ['Site', 'Wing', 'Rule', 'Severity', 'Status'])
      expect(await page.getByLabel(filter, { exact: true }).evaluate((e) => e.tagName), filter).toBe(
        'SELECT',
      );
  });

  it('announces a new critical alert that arrives live', async () => {
    const { page } = await h.signIn('operator');
    await openBoard(page, 'operator');
    const alertId = await h.publishDroneDrop('announce');
    await row(page, alertId).waitFor();
    expect(await row(page, alertId).getAttribute('data-severity')).toBe('critical');
    const title = (
      await h.pool.query<{ title: string }>(
        "SELECT body->>'title' AS title FROM alerts WHERE alert_id = $1",
        [alertId],
      )
    ).rows[0]!.title;
    const announcer = page.getByTestId('announcer');
    await announcer.filter({ hasText: `New critical alert: ${title}` }).waitFor();
    expect(await announcer.getAttribute('aria-live')).toBe('assertive');
    expect(Number(await page.getByTestId('count-critical').textContent())).toBeGreaterThanOrEqual(1);
  });

  it('an acknowledge in one browser shows in another browser without a reload', async () => {
    const alertId = await h.publishDrone('ack');
    await h.waitForStoredAlert(alertId);
    const watcher = await h.signIn('admin');
    await openBoard(watcher.page, 'admin');
    await watcher.page.locator(`[data-alert-id="${alertId}"][data-status="open"]`).waitFor();
    await mark(watcher.page);

    const actor = await h.signIn('operator');
    await actor.page.goto(`/alerts/${encodeURIComponent(alertId)}`);
    await actor.page
      .getByRole('heading', { name: /Drone incursion over/ })
      .first()
      .waitFor();
    expect((await actor.page.getByTestId('alert-status').textContent())?.trim()).toBe('open');
    const acknowledge = actor.page.getByRole('button', { name: 'Acknowledge', exact: true });
    expect(await acknowledge.isEnabled()).toBe(true);
    await acknowledge.click();
    await actor.page.getByTestId('alert-status').filter({ hasText: 'acknowledged' }).waitFor();

    await watcher.page
      .locator(`[data-alert-id="${alertId}"][data-status="acknowledged"]`)
      .waitFor({ timeout: 5000 });
    expect(await row(watcher.page, alertId).getAttribute('data-rev')).toBe('2');
    expect(await marked(watcher.page)).toBe(true);
    const stored = await h.pool.query<{ status: string }>('SELECT status FROM alerts WHERE alert_id = $1', [
      alertId,
    ]);
    expect(stored.rows[0]?.status).toBe('acknowledged');
  });

  it('the detail page shows the alert, its evidence, history and site plan', async () => {
    const alertId = await h.publishDrone('detail');
    await h.waitForStoredAlert(alertId);
    const { page } = await h.signIn('operator');
    await page.goto(`/alerts/${encodeURIComponent(alertId)}`);
    await page
      .getByRole('heading', { name: /Drone incursion over/ })
      .first()
      .waitFor();
    await page.getByText('Evidence', { exact: true }).first().waitFor();
    await page.getByText('History', { exact: true }).first().waitFor();
    await page.locator('svg[aria-label="Site plan"]').waitFor();
    // The evidence event's fields: its radar track.
    await page
      .getByText(/trk-e2e-\d+-detail/)
      .first()
      .waitFor();
    // Tall enough for the site plan below the actions.
    await page.setViewportSize({ width: 1280, height: 1200 });
    await h.screenshot(page, 'detail');
  });

  it('after the console server restarts, the open page shows the alerts raised while it was down', async () => {
    const { page } = await h.signIn('operator');
    await openBoard(page, 'operator');
    await mark(page);

    await h.stopConsole();
    await banner(page).filter({ hasText: 'Live connection lost' }).waitFor({ timeout: 20_000 });
    // The detectors run on: these alerts are stored and published while no console reads ALERTS.
    const raised = [await h.publishDrone('down-1'), await h.publishDrone('down-2')];
    for (const alertId of raised) await h.waitForStoredAlert(alertId);
    expect(await row(page, raised[0]!).count()).toBe(0);

    await h.startConsole();
    await banner(page).filter({ hasText: 'Live connection restored' }).waitFor({ timeout: 30_000 });
    for (const alertId of raised) await row(page, alertId).waitFor({ timeout: 10_000 });
    expect(await marked(page)).toBe(true);
    // "for a few seconds", then gone.
    await banner(page)
      .filter({ hasText: 'Live connection restored' })
      .waitFor({ state: 'hidden', timeout: 20_000 });
    await h.screenshot(page, 'board');
  });

  it('warns that alerts may be late while detection is stopped, and clears when it runs again', async () => {
    const { page } = await h.signIn('operator');
    await openBoard(page, 'operator');
    await h.stopPipeline();
    try {
      const alertId = await h.publishDrone('while-stopped');
      const warning = banner(page).filter({ hasText: 'Alerts may be late or missing' });
      await warning.waitFor({ timeout: 20_000 });
      expect(await warning.textContent()).toMatch(
        /Detection has processed nothing for \d+ s while 1 sensor event waits\./,
      );
      await h.screenshot(page, 'detection-stopped');
      await h.startPipeline();
      await row(page, alertId).waitFor({ timeout: 20_000 });
      await warning.waitFor({ state: 'hidden', timeout: 20_000 });
    } finally {
      await h.startPipeline();
    }
  }, 60_000);

  it('from the keyboard: Enter on a row, Tab to Acknowledge, Escape back to that row', async () => {
    const alertId = await h.publishDrone('keyboard');
    await h.waitForStoredAlert(alertId);
    const { page } = await h.signIn('operator');
    await openBoard(page, 'operator');
    await row(page, alertId).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('alert-status').waitFor();
    const focused = () =>
      page.evaluate(
        "document.activeElement?.getAttribute('data-alert-id') ?? document.activeElement?.textContent ?? null",
      ) as Promise<string | null>;
    // The focus starts at the alert, not at the top of the menu: one Tab reaches the first action.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Acknowledge');
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.pathname === '/');
    await row(page, alertId).waitFor();
    await expect.poll(focused).toBe(alertId);
  });

  it('an analyst gets no enabled action; Tab to a row and Enter opens its detail', async () => {
    const alertId = await h.publishDrone('analyst');
    await h.waitForStoredAlert(alertId);
    const { page } = await h.signIn('analyst');
    await openBoard(page, 'analyst');
    await row(page, alertId).waitFor();

    let focused: string | null = null;
    for (let i = 0; i < 80 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate(
        "document.activeElement && document.activeElement.getAttribute('data-alert-id')",
      )) as string | null;
    }
    expect(focused, 'Tab reaches an alert row').toBeTruthy();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/alerts/${encodeURIComponent(focused!)}`);
    await page.getByTestId('alert-status').waitFor();
    await page.getByRole('heading').first().waitFor();

    const enabled: string[] = [];
    for (const name of ACTION_BUTTONS) {
      for (const button of await page.getByRole('button', { name, exact: true }).all())
        if (await button.isEnabled()) enabled.push(name);
    }
    expect(enabled).toEqual([]);
  });
});
