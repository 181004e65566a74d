import { readFileSync } from 'node:fs';
import { DEMO_SITE_URL } from '@wachtpost/contracts';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, USERS, useE2eHarness } from '../support/e2e';
import { waitFor } from '../support/harness';

// The admin pages and the silences page (console/web/UI-CONTRACT.md, "Admin and silences") in Chromium
// against a real console: an admin creates an operator who then signs in, the audit page shows both, and an
// operator silences a sensor with a reason and lifts it again.

const h = useE2eHarness('admin-');

const NEW_OPERATOR = 'oskar';
const nav = (page: Page) => page.getByRole('navigation');
const userRow = (page: Page, username: string) =>
  page.locator(`[data-testid="user-row"][data-username="${username}"]`);
const auditRows = (page: Page) => page.getByTestId('audit-row');

describe('admin and silences in Chromium', () => {
  it('an admin creates an operator, who then signs in and has no admin pages', async () => {
    const admin = await h.signIn('admin');
    await admin.page.goto('/');
    // Nothing raised yet in this console: the board says how to get traffic.
    expect(await admin.page.getByTestId('board-empty-hint').textContent()).toContain('pnpm demo');

    await nav(admin.page).getByRole('link', { name: 'Users', exact: true }).click();
    await admin.page.getByRole('heading', { name: 'Users', exact: true, level: 1 }).waitFor();
    expect(new URL(admin.page.url()).pathname).toBe('/admin/users');
    await userRow(admin.page, USERS.operator).waitFor();

    // Refused by the server (password too short): its message, in an alert.
    await admin.page.getByLabel('Username', { exact: true }).fill(NEW_OPERATOR);
    await admin.page.getByLabel('Password', { exact: true }).fill('short');
    await admin.page.getByRole('button', { name: 'Create user' }).click();
    expect(await admin.page.getByRole('alert').textContent()).toContain('at least 12 characters');

    await admin.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await admin.page.getByLabel('Role', { exact: true }).selectOption('operator');
    await admin.page.getByRole('button', { name: 'Create user' }).click();
    const created = userRow(admin.page, NEW_OPERATOR);
    await created.waitFor();
    expect(await created.getAttribute('data-role')).toBe('operator');
    expect(await created.getAttribute('data-disabled')).toBe('false');
    await h.screenshot(admin.page, 'admin-users');

    const { page } = await h.anonymous();
    await page.goto('/');
    await page.getByLabel('Username', { exact: true }).fill(NEW_OPERATOR);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await nav(page).getByRole('link', { name: 'Silences', exact: true }).waitFor();
    await page.getByTestId('username').filter({ hasText: NEW_OPERATOR }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    expect(await nav(page).getByRole('link', { name: 'Audit', exact: true }).count()).toBe(0);

    await page.goto('/admin/users');
    await page.getByRole('heading', { name: 'Not allowed', exact: true, level: 1 }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('for admins');
  });

  it("the admin sees the operator's login and the user-create in the audit log", async () => {
    const { page } = await h.signIn('admin');
    await page.goto('/');
    await nav(page).getByRole('link', { name: 'Audit', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log', exact: true, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/audit');

    // Unfiltered: both among the newest entries.
    await page.locator(`[data-testid="audit-row"][data-action="user-create"]`).first().waitFor();
    await page
      .locator(`[data-testid="audit-row"][data-actor="${NEW_OPERATOR}"][data-action="login"]`)
      .waitFor();

    await page.getByLabel('Actor', { exact: true }).fill(NEW_OPERATOR);
    await page.getByLabel('Action', { exact: true }).fill('login');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitFor(
      async () =>
        (await auditRows(page).count()) === 1 &&
        (await auditRows(page).first().getAttribute('data-actor')) === NEW_OPERATOR,
      10_000,
      'the filtered audit log to show only the login',
    );

    await page.getByLabel('Actor', { exact: true }).fill(USERS.admin);
    await page.getByLabel('Action', { exact: true }).fill('user-create');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const create = auditRows(page).filter({ hasText: NEW_OPERATOR });
    await create.waitFor();
    expect(await create.getAttribute('data-action')).toBe('user-create');
    expect(await create.textContent()).toContain('role=operator');
    await h.screenshot(page, 'admin-audit');
    expect(await auditRows(page).count()).toBe(1);
  });

  it('an operator silences a sensor with a reason and lifts it', async () => {
    const { page } = await h.signIn('operator');
    await page.goto('/');
    await nav(page).getByRole('link', { name: 'Silences', exact: true }).click();
    await page.getByRole('heading', { name: 'Silences', exact: true, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/silences');
    await page.getByText('No active silences.').waitFor();

    // One site configured: chosen already; its sensors come from the site model.
    await waitFor(
      async () => (await page.getByLabel('Site', { exact: true }).inputValue()) === 'demo',
      10_000,
      'the site models to load',
    );
    await page.getByLabel('Sensor or rule', { exact: true }).selectOption('sensor:radar-1');
    await page.getByLabel('Duration (minutes, 1-1440)', { exact: true }).fill('15');
    // No reason: refused on the page, nothing sent.
    await page.getByRole('button', { name: 'Add silence' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Give a reason');

    await page.getByLabel('Reason', { exact: true }).fill('radar recalibration (e2e)');
    await page.getByRole('button', { name: 'Add silence' }).click();
    const row = page.getByTestId('silence-row').filter({ hasText: 'sensor radar-1' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('radar recalibration (e2e)');
    expect(text).toContain(USERS.operator);
    expect(text).toContain('PI Demo');
    const stored = await h.pool.query<{ id: string; minutes: number }>(
      `SELECT id, round(extract(epoch FROM until - created_at) / 60)::int AS minutes FROM silences
       WHERE sensor_id = 'radar-1' AND lifted_at IS NULL`,
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.minutes).toBe(15);
    expect(await row.getAttribute('data-silence-id')).toBe(stored.rows[0]!.id);
    await h.screenshot(page, 'silences');

    await row.getByRole('button', { name: 'Lift silence of sensor radar-1' }).click();
    await page.getByText('No active silences.').waitFor();
    expect(await page.getByTestId('silence-row').count()).toBe(0);
    const lifted = await h.pool.query<{ lifted_by: string | null }>(
      'SELECT lifted_by FROM silences WHERE id = $1',
      [stored.rows[0]!.id],
    );
    expect(lifted.rows[0]?.lifted_by).toBe(USERS.operator);
  });

  it('an admin reads the loaded site models and checks a new one before deploying it', async () => {
    const { page } = await h.signIn('admin');
    await page.goto('/');
    await nav(page).getByRole('link', { name: 'Sites', exact: true }).click();
    await page.getByRole('heading', { name: 'Sites', exact: true, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/sites');
    const demo = page.locator('[data-testid="site"][data-site-id="demo"]');
    await demo.waitFor();
    expect(await demo.getByTestId('wing-row').count()).toBeGreaterThanOrEqual(4);
    expect(await demo.locator('[data-testid="sensor-row"][data-sensor-id="radar-1"]').count()).toBe(1);

    const model = page.getByLabel('Site model (YAML)', { exact: true });
    await model.fill('id: demo\nname: Half a site\n');
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    const errors = page.getByTestId('site-errors');
    await errors.waitFor();
    // The server's messages name the path of what is missing.
    expect(await errors.textContent()).toMatch(/wings/);

    const demoYaml = readFileSync(DEMO_SITE_URL, 'utf8');
    await model.fill(demoYaml.replaceAll('radar-1', 'radar-9'));
    await page.getByRole('button', { name: 'Validate', exact: true }).click();
    const valid = page.getByTestId('site-valid');
    await valid.waitFor();
    expect(await valid.textContent()).toContain('Valid: site demo');
    const differences = await page.getByTestId('difference').allTextContents();
    expect(differences).toEqual(['Sensors added (1): radar-9', 'Sensors removed (1): radar-1']);
    await h.screenshot(page, 'admin-sites');
  });
});
