import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { SENSOR_SUBJECTS, SENSORS_STREAM } from '@wachtpost/contracts';
import { loadSiteFile, startDemoFeed } from '@wachtpost/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type TestNatsServer } from '../support/nats-server';
import { runSimCli, simSummaryOf, type SimRun } from '../support/sim-cli';

let server: TestNatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;
let dir: string;

const sim = (args: string[]) => runSimCli(server.url, args);

/** Runs the CLI to the end and returns its JSON summary. */
async function simSummary(args: string[]): Promise<Record<string, unknown>> {
  const run = sim(args);
  const code = await run.exited;
  expect(code, run.stderr).toBe(0);
  return simSummaryOf(run);
}

/** Starts `record` and waits until its subscription is live. */
async function startRecorder(args: string[]): Promise<SimRun> {
  const run = sim(['record', ...args]);
  const deadline = Date.now() + 30_000;
  while (!run.stderr.includes('"status":"recording"')) {
    if (Date.now() > deadline || run.child.exitCode !== null)
      throw new Error(`recorder did not start: ${run.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return run;
}

const streamMessages = async () => (await jsm.streams.info(SENSORS_STREAM)).state.messages;

function readRecording(file: string) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { subject: string; receivedAt: string; msgId?: string; data: string });
}

const span = (lines: { receivedAt: string }[]) =>
  (Date.parse(lines.at(-1)!.receivedAt) - Date.parse(lines[0]!.receivedAt)) / 1000;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: SENSORS_STREAM,
    subjects: [SENSOR_SUBJECTS],
    // Above the contract's 64 KiB so oversized faults reach the stream, as in production.
    max_msg_size: 1024 * 1024,
    duplicate_window: nanos(120_000),
  });
  dir = mkdtempSync(join(tmpdir(), 'wachtpost-sim-'));
});

afterAll(async () => {
  await nc?.drain();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pnpm sim', () => {
  it('load: publishes rate x duration events through JetStream at the rate asked', async () => {
    const before = await streamMessages();
    const summary = await simSummary(['load', '--rate', '40', '--duration', '3']);
    expect(summary).toMatchObject({ command: 'load', published: 120, acked: 120, duplicates: 0, errors: 0 });
    expect(summary.achievedRate).toBeGreaterThan(32);
    expect(summary.achievedRate).toBeLessThan(48);
    expect(summary.elapsedS).toBeGreaterThan(2.5);
    expect((await streamMessages()) - before).toBe(120);
  });

  it('record, then replay: same messages, same ids, recorded timing scaled by the speed', async () => {
    const first = join(dir, 'first.ndjson');
    const second = join(dir, 'second.ndjson');

    const recorder = await startRecorder(['--out', first, '--count', '80', '--duration', '60']);
    const load = await simSummary(['--core', 'load', '--rate', '40', '--duration', '2']);
    expect(load).toMatchObject({ published: 80, errors: 0 });
    expect(await recorder.exited).toBe(0);
    expect(JSON.parse(recorder.stdout)).toMatchObject({ command: 'record', recorded: 80 });
    const recorded = readRecording(first);
    expect(recorded).toHaveLength(80);
    for (const line of recorded) {
      expect(line.subject).toMatch(/^sensors\.v1\.demo\./);
      expect((JSON.parse(line.data) as { eventId: string }).eventId).toBe(line.msgId);
    }
    const recordedSpan = span(recorded);
    // Ideally 79/40 s; a loaded machine makes the pacer catch up in bursts (a CI run saw 0.71 s after a
    // stall at start-up, a busy one 0.225 s). Unpaced would be a few ms.
    expect(recordedSpan).toBeGreaterThan(0.1);
    expect(recordedSpan).toBeLessThan(2.6);

    const before = await streamMessages();
    const recorder2 = await startRecorder(['--out', second, '--count', '80', '--duration', '60']);
    const replay = await simSummary(['replay', first, '--speed', '2']);
    // Same Nats-Msg-Id within the duplicate window: JetStream stores none of them twice.
    expect(replay).toMatchObject({ command: 'replay', published: 80, acked: 80, duplicates: 80, errors: 0 });
    expect(Math.abs((replay.elapsedS as number) - recordedSpan / 2)).toBeLessThan(0.5);
    expect(await recorder2.exited).toBe(0);
    const replayed = readRecording(second);
    expect(replayed.map((l) => l.data)).toEqual(recorded.map((l) => l.data));
    expect(Math.abs(span(replayed) - recordedSpan / 2)).toBeLessThan(0.5);
    expect(await streamMessages()).toBe(before);
  });

  it('replay --restamp: the same recording again as new events', async () => {
    const before = await streamMessages();
    const replay = await simSummary(['replay', join(dir, 'first.ndjson'), '--speed', '20', '--restamp']);
    expect(replay).toMatchObject({ published: 80, acked: 80, duplicates: 0 });
    expect((await streamMessages()) - before).toBe(80);
  });

  it('feed: realistic traffic from now for the duration given, faults included', async () => {
    const summary = await simSummary([
      '--seed',
      '3',
      'feed',
      '--duration',
      '3',
      '--faults',
      'schema',
      '--fault-rate',
      '0.5',
    ]);
    expect(summary).toMatchObject({ command: 'feed', errors: 0 });
    // The roster snapshot of ~120 detainees goes out at the start.
    expect(summary.published).toBeGreaterThan(100);
    expect((summary.byKind as Record<string, number>).roster).toBeGreaterThan(100);
    expect((summary.byFault as Record<string, number>).schema).toBeGreaterThan(30);
    expect(summary.realSeconds).toBeGreaterThan(2.5);
  });

  it('faults: sends one of each and says what should happen to it', async () => {
    const before = await streamMessages();
    const summary = await simSummary(['faults']);
    const messages = summary.messages as { fault: string; bytes: number; expect: unknown }[];
    expect(summary).toMatchObject({
      command: 'faults',
      published: messages.length,
      errors: 0,
      duplicates: 1,
    });
    // JetStream drops the repeat with the same Nats-Msg-Id; the one without reaches the stream, for ingest.
    expect(messages.filter((m) => m.fault === 'duplicate')).toHaveLength(3);
    expect((await streamMessages()) - before).toBe(messages.length - 1);
    expect(messages.find((m) => m.fault === 'oversize')!.bytes).toBeGreaterThan(64 * 1024);
    expect(messages.find((m) => m.fault === 'json')!.expect).toEqual({ accepted: false, reason: 'json' });
  });
});

describe('startDemoFeed', () => {
  it('runs the realistic feed in-process on an open connection until stopped', async () => {
    const before = await streamMessages();
    const log: string[] = [];
    const feed = startDemoFeed({ nc, sites: [loadSiteFile()], seed: 9, log: (m) => log.push(m) });
    await new Promise((r) => setTimeout(r, 1500));
    await feed.stop();
    const sent = (await streamMessages()) - before;
    expect(sent).toBeGreaterThan(100);
    expect(log[0]).toMatch(/demo feed started: demo/);
    expect(log.at(-1)).toBe(`demo feed stopped after ${sent} messages`);
  });
});
