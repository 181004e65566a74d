import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectorsService } from '@wachtpost/detectors';
import { DEMO_SITES_PATH, loadConfig, runServices } from '@wachtpost/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { quietLog, startIngestHarness, waitFor } from '../support/harness';

// A sensor never heard from is a blind spot in a real institution, but in the shipped demo site every sensor
// is fictional: expecting them filled `pnpm demo`'s board with 21 "offline" alerts within two minutes.

const dir = mkdtempSync(join(tmpdir(), 'wachtpost-sites-'));
/** The demo site as an operator's own model, with sensors that beat every second, so silence shows fast. */
const ownSite = join(dir, 'own.yaml');
writeFileSync(
  ownSite,
  readFileSync(DEMO_SITES_PATH, 'utf8').replace(/heartbeatIntervalS: \d+/g, 'heartbeatIntervalS: 1'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the detectors service on the fast-beating site for `ms` and returns the live offline alerts raised. */
async function offlineAlertsWithin(expectSensors: boolean, ms: number): Promise<number> {
  const h = await startIngestHarness();
  // No allowance for late events (120 s by default), which the offline rule waits out.
  const config = loadConfig({
    ...h.env,
    WACHTPOST_SITES: ownSite,
    DETECTORS_PARAMS: JSON.stringify({ demo: { engine: { allowedLatenessS: 0 } } }),
  });
  config.detectors.expectSensors = expectSensors;
  const system = await runServices([detectorsService], {
    config,
    log: quietLog,
    installSignalHandlers: false,
  });
  const count = async () =>
    (
      await h.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM alerts WHERE rule = 'sensor-offline' AND NOT exercise",
      )
    ).rows[0]!.n;
  try {
    if (expectSensors) return await waitFor(async () => (await count()) || undefined, ms, 'offline alerts');
    await new Promise((r) => setTimeout(r, ms));
    return await count();
  } finally {
    await system.shutdown();
    await h.close();
  }
}

describe('the sensors the detectors expect to report', () => {
  it('are those of a site model of your own, not the shipped demo site', () => {
    expect(loadConfig({}).detectors.expectSensors).toBe(false);
    expect(loadConfig({ WACHTPOST_SITES: DEMO_SITES_PATH }).detectors.expectSensors).toBe(false);
    expect(loadConfig({ WACHTPOST_SITES: ownSite }).detectors.expectSensors).toBe(true);
  });

  it('raise offline alerts for sensors never heard from only when expected', async () => {
    // Three missed one-second intervals, and the one-second tick.
    expect(await offlineAlertsWithin(true, 20_000)).toBeGreaterThan(0);
    expect(await offlineAlertsWithin(false, 8_000)).toBe(0);
  }, 60_000);
});
