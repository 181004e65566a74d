import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SensorEventInput } from '@wachtpost/contracts';
import { useE2eHarness } from '../support/e2e';
import { validEvent } from '../support/events';
import { waitFor } from '../support/harness';

// The analysts' history pages (console/web/UI-CONTRACT.md, "History") in Chromium against a real console:
// sensor events go through NATS and ingest into the database, the page lists them with filters and exports
// the same view as CSV; an operator has no way in.

const h = useE2eHarness('history-');

// validEvent(i): i % 5 === 0 is a GSM event, 1 a drone report.
const at = Date.now() - 20 * 60_000;
const real = (i: number): SensorEventInput => ({ ...validEvent(i, at + i * 1000, 'hist'), exercise: false });
const GSM = [real(0), real(5), real(10)];
const DRONE = real(1);
const EXERCISE_GSM = validEvent(15, at + 15_000, 'hist');
// A roster move of detainee d-3 into a cell: a stay on their timeline.
const ROSTER = real(3);

describe('history in Chromium', () => {
  beforeAll(async () => {
    await h.publish([...GSM, DRONE, EXERCISE_GSM, ROSTER]);
    const ids = [...GSM, DRONE, EXERCISE_GSM, ROSTER].map((e) => e.eventId);
    await waitFor(
      async () =>
        (await h.pool.query('SELECT 1 FROM sensor_events WHERE event_id = ANY($1)', [ids])).rowCount ===
        ids.length,
      15_000,
      'ingest to store the published events',
    );
  });

  it('an analyst filters events by kind, sees the rows and exports them as CSV', async () => {
    const { page } = await h.signIn('analyst');
    await page.goto('/');
    await page.getByRole('navigation').getByRole('link', { name: 'History', exact: true }).click();
    await page.getByRole('heading', { name: 'History', exact: true, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/history');
    // Exercise data is hidden by default.
    expect(await page.getByLabel('Show exercise data').isChecked()).toBe(false);

    await page.getByLabel('Kind', { exact: true }).selectOption('gsm');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.getByTestId('history-row');
    await page.getByTestId('export-csv').and(page.locator('[href*="kind=gsm"]')).waitFor();
    await waitFor(async () => (await rows.count()) === GSM.length, 10_000, 'the three GSM rows');
    // The Event column (the sixth) holds the event ids; the Kind column (the second) the kind.
    const ids = await rows.locator('td:nth-child(6)').allTextContents();
    expect(ids.sort()).toEqual(GSM.map((e) => e.eventId).sort());
    expect(new Set(await rows.locator('td:nth-child(2)').allTextContents())).toEqual(new Set(['gsm']));

    // Exact: the charts' links are `Export CSV of <chart>`.
    const link = page.getByRole('link', { name: 'Export CSV', exact: true });
    expect(await link.getAttribute('href')).toBe('/api/history/events.csv?kind=gsm');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^wachtpost-events-.*\.csv$/);
    const path = await download.path();
    const lines = (await readFile(path, 'utf8')).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'event_id,observed_at,site_id,kind,sensor_id,wing_id,zone_id,exercise,seq,body,observed_at_local',
    );
    expect(lines).toHaveLength(1 + GSM.length);
    for (const e of GSM) expect(lines.some((l) => l.startsWith(`${e.eventId},`))).toBe(true);

    // Ticked, the exercise event joins the list.
    await page.getByLabel('Show exercise data').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const exercise = rows.filter({ hasText: 'EXERCISE' });
    await exercise.waitFor();
    expect(await exercise.locator('td:nth-child(6)').allTextContents()).toEqual([EXERCISE_GSM.eventId]);
  });

  it('an analyst sees the charts and opens a detainee timeline', async () => {
    const { page } = await h.signIn('analyst');
    await page.goto('/history');
    const heatmap = page.getByRole('img', { name: 'Events per wing and hour of day' });
    await heatmap.waitFor();
    const cells = heatmap.getByTestId('heat-cell');
    expect((await cells.count()) % 24).toBe(0);
    const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    // The published non-exercise events (not the drone report's: it has no wing) are in the heatmap.
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(GSM.length);
    await page.getByRole('img', { name: /^Events and alerts per / }).waitFor();
    await page.getByRole('img', { name: 'Drone incursions per weekday and hour' }).waitFor();
    await page.getByRole('table', { name: 'Precision per rule' }).waitFor();
    await h.screenshot(page, 'history-analyst');

    // The heatmap as CSV, from the link under it: the same counts as the chart's cells.
    const heatCsv = page.getByRole('link', { name: 'Export CSV of events per wing and hour of day' });
    expect(await heatCsv.getAttribute('href')).toMatch(/^\/api\/history\/charts\/heatmap\.csv\?/);
    const [download] = await Promise.all([page.waitForEvent('download'), heatCsv.click()]);
    expect(download.suggestedFilename()).toMatch(/^wachtpost-chart-heatmap-demo-.*\.csv$/);
    const csv = (await readFile(await download.path(), 'utf8')).split('\r\n').filter(Boolean);
    expect(csv[0]).toMatch(/^wing_id,wing_name,hour_00,/);
    const csvCounts = csv.slice(1).flatMap((line) => line.split(',').slice(2).map(Number));
    expect(csvCounts).toEqual(counts);

    const detaineeId = (ROSTER as { detaineeId: string }).detaineeId;
    await page.getByLabel('Detainee id', { exact: true }).fill(detaineeId);
    await page.getByRole('button', { name: 'Show timeline' }).click();
    await page.getByText('This view is logged.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/history/detainees/${detaineeId}`);
    const items = page.getByTestId('timeline-item');
    await items.first().waitFor();
    const types = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types.slice(0, 2)).toEqual(['stay', 'roster']);
    await h.screenshot(page, 'history-detainee');
  });

  it('an operator has no History link and /history is not allowed', async () => {
    const { page } = await h.signIn('operator');
    await page.goto('/history');
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('analysts');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Alerts', exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: 'History', exact: true }).count()).toBe(0);
    expect(await page.getByTestId('history-row').count()).toBe(0);
  });
});
