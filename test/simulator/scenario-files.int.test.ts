import { join } from 'node:path';
import {
  compileScenario,
  defaultOrigin,
  listScenarios,
  loadScenarioFile,
  loadSiteFile,
  runScenario,
  SCENARIO_DIR,
} from '@wachtpost/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness } from '../support/detectors';

/**
 * Every shipped scenario file, each on a fresh system (its own NATS, database, ingest and detectors, so the
 * exercise lane starts empty), meets every expectation it states and raises no other alert.
 */
describe('shipped scenario files', () => {
  const site = loadSiteFile();
  let h: DetectorsHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it.each(listScenarios().map((s) => s.id))('%s meets its expectations', async (id) => {
    h = await startDetectorsHarness();
    await h.startWorker();
    await h.startDetectors();
    const scenario = loadScenarioFile(join(SCENARIO_DIR, `${id}.yaml`));
    const compiled = compileScenario(scenario, site, { origin: defaultOrigin(scenario, site, Date.now()) });
    const report = await runScenario({ nc: h.nc, compiled, speed: 100_000, waitS: 60 });
    expect(report.errors).toBe(0);
    expect(
      report.expectations.map((r) => `${r.rule} ${r.target}: ${r.verdict}`),
      JSON.stringify(report.expectations),
    ).toEqual(
      scenario.expect.map(
        (e) =>
          `${e.rule} ${e.key ?? ''}${
            e.match
              ? Object.entries(e.match)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')
              : ''
          }: met`,
      ),
    );
    expect(report.otherAlerts).toEqual([]);
  });
});
