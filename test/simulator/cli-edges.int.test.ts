import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { ALERT_SUBJECTS, ALERTS_STREAM, SENSOR_SUBJECTS, SENSORS_STREAM } from '@wachtpost/contracts';
import { encodeRecordLine } from '@wachtpost/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type TestNatsServer } from '../support/nats-server';
import { runSimCli, simSummaryOf } from '../support/sim-cli';

/**
 * The CLI where a run ends early or badly: delayed fault copies past a load's end, a bad recording, a
 * mistyped sensor, a scenario with nothing consuming what it publishes, and one interrupted. A private
 * nats-server with SENSORS and ALERTS, and no pipeline.
 */
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DRONE_DROP = join(REPO_ROOT, 'simulator/scenarios/drone-drop.yaml');

let server: TestNatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;
let dir: string;

const sim = (args: string[], limitMs?: number) => runSimCli(server.url, args, limitMs);
const summaryOf = simSummaryOf;
const streamMessages = async () => (await jsm.streams.info(SENSORS_STREAM)).state.messages;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: SENSORS_STREAM,
    subjects: [SENSOR_SUBJECTS],
    duplicate_window: nanos(120_000),
  });
  // Scenarios read ALERTS; nothing writes to it here, as when the pipeline is down.
  await jsm.streams.add({ name: ALERTS_STREAM, subjects: [ALERT_SUBJECTS] });
  dir = mkdtempSync(join(tmpdir(), 'wachtpost-sim-edges-'));
});

afterAll(async () => {
  await nc?.drain();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pnpm sim load and feed with delayed faults', () => {
  it('load ends at its duration and counts the late and duplicate copies due after it as dropped', async () => {
    const run = sim(
      ['load', '--rate', '100', '--duration', '2', '--faults', 'late,duplicate', '--fault-rate', '0.05'],
      30_000,
    );
    const code = await run.exited;
    const wallS = (Date.now() - run.startedAt) / 1000;
    expect(code, `${run.stderr} after ${wallS} s`).toBe(0);
    const summary = summaryOf(run);
    expect(summary.elapsedS).toBeLessThan(3);
    expect(summary.droppedAfterEnd).toBeGreaterThan(0);
    expect(summary).toMatchObject({ command: 'load', errors: 0 });
    // Late copies come 30 s or more after their event: none within the run.
    expect((summary.byFault as Record<string, number>).late).toBeUndefined();
    // Start-up included; the delayed copies alone would keep it going for up to ten minutes.
    expect(wallS).toBeLessThan(20);
  });

  it('feed reports the delayed copies its duration cut off under the same name', async () => {
    const run = sim(['feed', '--duration', '2', '--faults', 'late', '--fault-rate', '0.2']);
    expect(await run.exited, run.stderr).toBe(0);
    const summary = summaryOf(run);
    expect(summary.command).toBe('feed');
    // The roster snapshot alone is ~120 events at the start: a fifth of them held back 30 s or more.
    expect(summary.droppedAfterEnd).toBeGreaterThan(5);
    expect((summary.byFault as Record<string, number>).late).toBeUndefined();
  });
});

describe('pnpm sim: bad input fails before anything is sent', () => {
  it('replay: a bad line anywhere names FILE:LINE, exits 1 and sends nothing', async () => {
    const good = (i: number) =>
      encodeRecordLine({
        subject: 'sensors.v1.demo.heartbeat.rf-1',
        receivedAt: Date.now() + i,
        msgId: `edge-${i}`,
        data: new TextEncoder().encode(JSON.stringify({ i })),
      });
    const file = join(dir, 'broken.ndjson');
    writeFileSync(file, [good(1), good(2), good(3), '{"subject":', good(5), '[]'].join('\n'));
    const before = await streamMessages();
    const run = sim(['replay', file]);
    expect(await run.exited).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file}:4: not JSON`);
    expect(run.stderr).toContain(`${file}:6: not a JSON object`);
    expect(run.stderr).toContain(`${file} has 2 bad lines: nothing was sent`);
    expect(await streamMessages()).toBe(before);
  });

  it('feed --silence: an unknown sensor exits 1 and lists the valid ones', async () => {
    const run = sim(['feed', '--duration', '1', '--silence', 'nosuch']);
    expect(await run.exited).toBe(1);
    expect(run.stderr).toMatch(/--silence: site demo has no sensor nosuch; its sensors are gsm-a-1, .*rf-1/);
    expect(run.stdout).toBe('');
  });

  it('feed --start and scenario --origin name themselves when their time does not parse', async () => {
    const feed = sim(['feed', '--duration', '1', '--start', 'yesterday']);
    const scenario = sim(['scenario', 'simulator/scenarios/drone-drop.yaml', '--origin', 'last week']);
    expect(await feed.exited).toBe(1);
    expect(feed.stderr).toMatch(
      /option '--start <time>' argument 'yesterday' is invalid\. expected an RFC 3339/,
    );
    expect(await scenario.exited).toBe(1);
    expect(scenario.stderr).toMatch(/option '--origin <time>' argument 'last week' is invalid/);
  });

  it('feed --start in the future warns that ingest will reject the events as clock', async () => {
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const run = sim(['feed', '--duration', '0.5', '--start', start]);
    expect(await run.exited, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: --start lies 60 minutes ahead .*"clock"/);
  });
});

describe('pnpm sim scenario without a pipeline', () => {
  it('says that no alert arrived and what to check', async () => {
    const run = sim(['scenario', DRONE_DROP, '--speed', '20000', '--wait', '1']);
    expect(await run.exited, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/0 met, 0 late, 3 missed; \d+ events published, 0 alert revisions seen\n/);
    expect(run.stdout).toContain(
      'no alert revision of site demo arrived on ALERTS during the run: are ingest and the detectors ' +
        `running (e.g. \`pnpm start\`) on the same NATS, ${server.url}?`,
    );
  });

  it('interrupted, says so, shows what it never judged as not judged and exits 130', async () => {
    const run = sim(['scenario', DRONE_DROP, '--speed', '20000', '--wait', '60']);
    const deadline = Date.now() + 30_000;
    while (!run.stderr.includes('scenario "')) {
      if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`no start: ${run.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Published by now, and waiting for alerts that will not come.
    await new Promise((r) => setTimeout(r, 3000));
    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr).toBe(130);
    expect(run.stdout).not.toMatch(/MISSED/);
    expect(run.stdout.match(/NOT JUDGED/g)).toHaveLength(3);
    expect(run.stdout).toMatch(/0 met, 0 late, 0 missed, 3 not judged \(interrupted\)/);
    expect(run.stdout).toMatch(/interrupted before the end: expectations still open were not judged/);
  });
});
