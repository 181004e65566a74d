import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@wachtpost/platform';
import {
  compileScenario,
  defaultOrigin,
  loadScenarioFile,
  loadSiteFile,
  runScenario,
  SCENARIO_DIR,
  type ScenarioReport,
} from '@wachtpost/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness } from '../support/detectors';

/**
 * Scenario files end to end: compiled, published on sensors.v1.> of a private NATS, stored by an ingest
 * worker, correlated by a detectors worker, and judged against what arrives on alerts.v1.>. The two runs lie
 * one after the other in event time (the drone drop ends on the day before yesterday's night at 02:00, the
 * outage starts yesterday at 03:00), as the exercise lane's watermark needs.
 */
describe('pnpm sim scenario', () => {
  let h: DetectorsHarness;
  let dir: string;
  const site = loadSiteFile();

  beforeAll(async () => {
    h = await startDetectorsHarness();
    await h.startWorker();
    await h.startDetectors();
    dir = mkdtempSync(join(tmpdir(), 'wachtpost-scenario-'));
  });
  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the drone drop through ingest and detectors and meets every expectation', async () => {
    const scenario = loadScenarioFile(join(SCENARIO_DIR, 'drone-drop.yaml'));
    const compiled = compileScenario(scenario, site, { origin: defaultOrigin(scenario, site, Date.now()) });
    const report: ScenarioReport = await runScenario({ nc: h.nc, compiled, speed: 20_000, waitS: 60 });

    expect(report.errors).toBe(0);
    expect(report.published).toBe(compiled.messages.length);
    expect(report.summary).toEqual({ met: 3, late: 0, missed: 0, pending: 0 });
    expect(report.expectations.map((r) => [r.rule, r.verdict, r.alertId])).toEqual([
      ['drone-incursion', 'met', 'demo.exercise:drone-incursion:radar-1/trk-night-1'],
      ['drone-drop', 'met', 'demo.exercise:drone-drop:radar-1/trk-night-1'],
      ['contraband-delivery', 'met', 'demo.exercise:contraband-delivery:a'],
    ]);
    // Event time: the incursion opens with the first report, the delivery with the call.
    expect(report.expectations[0]!.latencyMs).toBe(0);
    expect(report.expectations[2]!.latencyMs).toBe(0);
    expect(report.otherAlerts).toEqual([]);

    // Everything was stored as exercise traffic, and the alerts are in the database too.
    await h.waitDetectorsIdle();
    const { rows } = await h.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sensor_events WHERE exercise',
    );
    expect(rows[0]!.n).toBe(compiled.messages.length);
    const stored = (await h.alerts({ exercise: true })).map((a) => a.alertId);
    for (const r of report.expectations) expect(stored).toContain(r.alertId);
  });

  it('reports a wrong expectation as missed, prints the table and exits 1', async () => {
    const text = readFileSync(join(SCENARIO_DIR, 'sensor-outage.yaml'), 'utf8');
    const file = join(dir, 'outage-wrong.yaml');
    // gsm-d-2 never goes quiet: this expectation cannot be met.
    writeFileSync(
      file,
      `${text}  - { after: outage, rule: sensor-offline, key: gsm-d-2, severity: high, within: 4h }\n`,
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'simulator/src/cli.ts',
        '--nats',
        h.nats.url,
        'scenario',
        file,
        '--speed',
        '20000',
        '--wait',
        '15',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code, stderr + stdout).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^#\s+after\s+rule\s+key \/ match\s+severity\s+within\s+result\s+latency\s+alert$/,
    );
    expect(lines[1]).toMatch(
      /^0\s+outage\s+sensor-offline\s+gsm-d-1\s+high open\s+4h\s+MET\s+\S+\s+demo\.exercise:sensor-offline:gsm-d-1 rev 1$/,
    );
    expect(lines[2]).toMatch(
      /^1\s+outage\s+sensor-offline\s+gsm-d-1\s+high resolved\s+7h\s+MET\s+6h\s+demo\.exercise:sensor-offline:gsm-d-1 rev 2$/,
    );
    expect(lines[3]).toMatch(/^2\s+outage\s+sensor-offline\s+gsm-d-2\s+high\s+4h\s+MISSED\s+-\s+-$/);
    expect(stdout).toMatch(/2 met, 0 late, 1 missed/);
  });
});

/**
 * A buffered outage (`silent` with `forward: true`), on a fresh system of its own (it lies at the same event
 * time as the drone drop above): gsm-a-1 forwards the calls that followed the drop when it is back, behind the
 * exercise lane's watermark by then, and the delivery is still raised, late and incomplete.
 */
describe('pnpm sim scenario: a gateway forwarding its backlog', () => {
  let h: DetectorsHarness;
  const site = loadSiteFile();

  beforeAll(async () => {
    h = await startDetectorsHarness();
    await h.startWorker();
    await h.startDetectors();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('raises the delivery from the forwarded calls, as of their own time, late and incomplete', async () => {
    const scenario = loadScenarioFile(join(SCENARIO_DIR, 'gsm-outage-delivery.yaml'));
    const compiled = compileScenario(scenario, site, { origin: defaultOrigin(scenario, site, Date.now()) });
    const report = await runScenario({ nc: h.nc, compiled, speed: 20_000, waitS: 60 });

    expect(report.errors).toBe(0);
    expect(report.published).toBe(compiled.messages.length);
    expect(report.summary).toEqual({ met: 5, late: 0, missed: 0, pending: 0 });
    expect(report.otherAlerts).toEqual([]);
    const delivery = report.expectations.find((r) => r.rule === 'contraband-delivery')!;
    expect(delivery).toMatchObject({
      verdict: 'met',
      alertId: 'demo.exercise:contraband-delivery:a',
      rev: 1,
    });
    // Judged on event time: opened as of the first call, though it was published 35 minutes later.
    expect(delivery.latencyMs).toBe(0);

    await h.waitDetectorsIdle();
    const { rows: stored } = await h.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sensor_events WHERE exercise',
    );
    expect(stored[0]!.n).toBe(compiled.messages.length);
    const { rows } = await h.pool.query<{
      alert_id: string;
      rev: number;
      change: string;
      late: boolean;
      incomplete: string[] | null;
      updated_at: Date;
    }>(
      `SELECT alert_id, rev, change, late, incomplete, updated_at FROM alert_history
       WHERE alert_id IN ('demo.exercise:contraband-delivery:a', 'demo.exercise:sensor-offline:gsm-a-1')
       ORDER BY alert_id, rev`,
    );
    const call = compiled.instants.call!;
    const outage = compiled.instants.outage!;
    const MINUTE = 60_000;
    expect(
      rows.map((r) => [r.alert_id, r.rev, r.change, r.late, r.incomplete, r.updated_at.getTime()]),
    ).toEqual([
      ['demo.exercise:contraband-delivery:a', 1, 'opened', true, ['gsm-a-1'], call],
      ['demo.exercise:contraband-delivery:a', 2, 'late-evidence', true, ['gsm-a-1'], call + 10 * MINUTE],
      ['demo.exercise:sensor-offline:gsm-a-1', 1, 'opened', false, null, outage + 30 * MINUTE],
      // Heard again with the backlog, counted as heard at the definite time (23:20's beats, less 2 minutes).
      ['demo.exercise:sensor-offline:gsm-a-1', 2, 'resolved', false, null, outage + 78 * MINUTE],
    ]);
    const [alert] = (await h.alerts({ exercise: true })).filter((a) => a.rule === 'contraband-delivery');
    expect(alert!.body.summary).toContain('Incomplete: sensor gsm-a-1 offline');
  });
});
