/**
 * `pnpm sim <command>`: realistic feed, paced load, replay, recording and fault injection against NATS.
 * Summaries go to stdout as one JSON line; progress and warnings to stderr.
 */
import { constants } from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SiteModel } from '@wachtpost/contracts';
import { Command } from 'commander';
import { checkSilences, feedClockWarning, scenarioClockWarning } from './cli-checks';
import {
  faultKinds,
  integer,
  positiveInteger,
  positiveNumber,
  probability,
  silence,
  startTime,
  type StartTime,
  type SilenceSpec,
} from './cli-options';
import { FAULT_KINDS, type FaultKind } from './messages/faults';
import { connectNats } from './nats/connect';
import { startFeed } from './run/feed';
import { runFaults } from './run/faults';
import { LOAD_INTENSITY, runLoad } from './run/load';
import { runRecord } from './run/record';
import { runReplay } from './run/replay';
import type { FaultOptions } from './run/traffic';
import { compileScenario, defaultOrigin } from './scenario/compile';
import { loadScenarioFile } from './scenario/files';
import { formatReport, reportNotes } from './scenario/report-text';
import { runScenario } from './scenario/run-scenario';
import { DEMO_SITE_FILE, loadSiteFile } from './site-file';

interface GlobalOptions {
  nats: string;
  site: string;
  seed: number;
  core: boolean;
  window: number;
  exercise: boolean;
}

interface FaultFlags {
  faults?: FaultKind[];
  faultRate: number;
  silence?: SilenceSpec[];
}

const note = (message: string) => process.stderr.write(`${message}\n`);

/** Prints the summary; failed publishes make the exit code 2, so scripts notice. */
function print(summary: object) {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  const { errors, firstError } = summary as { errors?: number; firstError?: string };
  if (errors) {
    note(
      `${errors} publishes failed (first: ${firstError}). JetStream publishes need a stream on ` +
        'sensors.v1.> (pnpm migrate provisions SENSORS); --core publishes without one.',
    );
    process.exitCode = 2;
  }
}

/**
 * Aborts on Ctrl-C or SIGTERM, so every command can end cleanly and still print its summary. The abort's
 * reason is the signal's name.
 */
function interruption(): AbortController {
  const abort = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => abort.abort(name));
  return abort;
}

/** The exit code of a process ended by the signal: 128 + its number, 130 for Ctrl-C. */
const signalExitCode = (reason: unknown): number =>
  128 + (constants.signals[reason as NodeJS.Signals] ?? constants.signals.SIGINT);

async function withNats<T>(url: string, name: string, run: (nc: NatsConnection) => Promise<T>): Promise<T> {
  let nc: NatsConnection;
  try {
    // A deployment gives the simulator its own NATS user (deploy/nats/nats.conf).
    nc = await connectNats(url, name, { user: process.env.NATS_USER, pass: process.env.NATS_PASSWORD });
  } catch (err) {
    throw new Error(`cannot reach NATS at ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return await run(nc);
  } finally {
    await nc.drain();
  }
}

function faultOptions(flags: FaultFlags, site: SiteModel): FaultOptions | undefined {
  if (!flags.faults && !flags.silence) return undefined;
  checkSilences(flags.silence ?? [], site);
  return { kinds: flags.faults ?? [], rate: flags.faultRate, silences: flags.silence ?? [] };
}

const program = new Command('sim')
  .description('Wachtpost simulator: realistic sensor traffic, load, replay, recording and fault injection.')
  .option(
    '--nats <url>',
    'NATS server URL(s), comma-separated',
    process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  )
  .option('--site <file>', 'site model file (YAML or JSON)', DEMO_SITE_FILE)
  .option('--seed <n>', 'random seed: the same seed gives the same traffic', integer, 1)
  .option('--core', 'plain core-NATS publish instead of acknowledged JetStream publish', false)
  .option('--window <n>', 'most JetStream publishes awaiting an ack at once', positiveInteger, 256)
  .option('--no-exercise', 'mark the traffic as real (exercise: false) instead of an exercise')
  .showHelpAfterError();

const withFaultFlags = (command: Command) =>
  command
    .option('--faults <list>', `inject faults: all or a comma list of ${FAULT_KINDS.join(', ')}`, faultKinds)
    .option('--fault-rate <p>', 'chance that an event carries one of the faults', probability, 0.01)
    .option(
      '--silence <sensor[:after[:for]]>',
      'sensor goes silent `after` simulated seconds for `for` seconds (default 60:600); repeatable',
      silence,
    );

withFaultFlags(
  program
    .command('feed')
    .description('continuous realistic traffic; simulated time runs --speed times real time from --start')
    .option('--speed <x>', 'simulated seconds per real second', positiveNumber, 1)
    .option('--start <time>', 'simulated start: RFC 3339 or an offset like -6h (default now)', startTime)
    .option('--duration <s>', 'stop after this many real seconds (default: run until Ctrl-C)', positiveNumber)
    .option('--intensity <x>', 'drone flight multiplier (1 = ~10 flights a year)', positiveNumber, 1),
).action(
  async (
    opts: FaultFlags & { speed: number; start?: StartTime; duration?: number; intensity: number },
    cmd: Command,
  ) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const site = loadSiteFile(g.site);
    const now = Date.now();
    const start = opts.start?.(now);
    const faults = faultOptions(opts, site);
    const warning = feedClockWarning({ speed: opts.speed, now, ...(start !== undefined && { start }) });
    if (warning) note(warning);
    await withNats(g.nats, 'wachtpost-sim-feed', async (nc) => {
      const feed = startFeed({
        nc,
        sites: [site],
        seed: g.seed,
        speed: opts.speed,
        intensity: opts.intensity,
        exercise: g.exercise,
        core: g.core,
        window: g.window,
        ...(start !== undefined && { start }),
        ...(opts.duration !== undefined && { durationS: opts.duration }),
        ...(faults && { faults }),
      });
      interruption().signal.addEventListener('abort', () => void feed.stop());
      note(`feeding ${site.id} to ${g.nats} at speed ${opts.speed}; Ctrl-C stops`);
      print(await feed.done);
    });
  },
);

withFaultFlags(
  program
    .command('load')
    .description('paced valid mixed traffic at --rate events per second for --duration seconds')
    .requiredOption('--rate <n>', 'events per second', positiveNumber)
    .requiredOption('--duration <s>', 'seconds', positiveNumber)
    .option('--intensity <x>', 'drone flight multiplier of the mix', positiveNumber, LOAD_INTENSITY),
).action(async (opts: FaultFlags & { rate: number; duration: number; intensity: number }, cmd: Command) => {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const site = loadSiteFile(g.site);
  const faults = faultOptions(opts, site);
  const summary = await withNats(g.nats, 'wachtpost-sim-load', (nc) =>
    runLoad({
      nc,
      sites: [site],
      seed: g.seed,
      rate: opts.rate,
      durationS: opts.duration,
      intensity: opts.intensity,
      exercise: g.exercise,
      core: g.core,
      window: g.window,
      signal: interruption().signal,
      ...(faults && { faults }),
    }),
  );
  print(summary);
});

program
  .command('replay')
  .description('send a recording again with its recorded relative timing')
  .argument('<file>', 'NDJSON recording made by `record`')
  .option('--speed <x>', 'how many times faster than recorded', positiveNumber, 1)
  .option(
    '--restamp',
    'stamp each message as observed when it is sent, with fresh eventIds, so the system takes them as new',
    false,
  )
  .action(async (file: string, opts: { speed: number; restamp: boolean }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const summary = await withNats(g.nats, 'wachtpost-sim-replay', (nc) =>
      runReplay({
        nc,
        file,
        speed: opts.speed,
        restamp: opts.restamp,
        core: g.core,
        window: g.window,
        signal: interruption().signal,
      }),
    );
    print(summary);
  });

program
  .command('record')
  .description('record what is published on a subject (core subscription) as NDJSON')
  .requiredOption('--out <file>', 'NDJSON file to write')
  .option('--subject <subject>', 'subject to record', 'sensors.v1.>')
  .option('--duration <s>', 'stop after this many seconds', positiveNumber)
  .option('--count <n>', 'stop after this many messages', positiveInteger)
  .action(async (opts: { out: string; subject: string; duration?: number; count?: number }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const summary = await withNats(g.nats, 'wachtpost-sim-record', (nc) =>
      runRecord({
        nc,
        out: opts.out,
        subject: opts.subject,
        signal: interruption().signal,
        onReady: () => note(JSON.stringify({ status: 'recording', subject: opts.subject, file: opts.out })),
        ...(opts.duration !== undefined && { durationS: opts.duration }),
        ...(opts.count !== undefined && { count: opts.count }),
      }),
    );
    print(summary);
  });

program
  .command('faults')
  .description('send each fault once (or --count times) and list the outcome each should have')
  .option('--kinds <list>', 'all or a comma list of faults', faultKinds, [...FAULT_KINDS])
  .option('--count <n>', 'messages per fault', positiveInteger, 1)
  .action(async (opts: { kinds: FaultKind[]; count: number }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const site = loadSiteFile(g.site);
    if (opts.kinds.includes('silence'))
      note('silence is a property of a stream: use `feed --silence sensor:after:for`');
    const summary = await withNats(g.nats, 'wachtpost-sim-faults', (nc) =>
      runFaults({
        nc,
        site,
        seed: g.seed,
        kinds: opts.kinds,
        count: opts.count,
        exercise: g.exercise,
        core: g.core,
        window: g.window,
      }),
    );
    print(summary);
  });

program
  .command('scenario')
  .description('publish a scenario file in scaled time and judge its expected alerts on ALERTS')
  .argument('<file>', 'scenario file (YAML), e.g. simulator/scenarios/drone-drop.yaml')
  .option('--speed <x>', 'simulated seconds per real second', positiveNumber, 1)
  .option('--wait <s>', 'after the last event, seconds to wait for expected alerts', positiveNumber, 30)
  .option(
    '--origin <time>',
    'day 0 00:00 of the scenario: RFC 3339 or an offset like -5d (default: the local midnight that puts the scenario just behind the clock)',
    startTime,
  )
  .option('--json', 'print the report as one JSON line instead of a table', false)
  .action(
    async (
      file: string,
      opts: { speed: number; wait: number; origin?: StartTime; json: boolean },
      cmd: Command,
    ) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const scenario = loadScenarioFile(file);
      const site = loadSiteFile(g.site);
      const now = Date.now();
      const origin = opts.origin?.(now) ?? defaultOrigin(scenario, site, now);
      const compiled = compileScenario(scenario, site, {
        origin,
        seed: program.getOptionValueSource('seed') === 'default' ? scenario.seed : g.seed,
      });
      note(
        `scenario "${scenario.name}": ${compiled.messages.length} messages from ${new Date(compiled.from).toISOString()} ` +
          `to ${new Date(compiled.to).toISOString()} at speed ${opts.speed}`,
      );
      const warning = scenarioClockWarning({ from: compiled.from, to: compiled.to, speed: opts.speed, now });
      if (warning) note(warning);
      const interrupt = interruption();
      const report = await withNats(g.nats, 'wachtpost-sim-scenario', (nc) =>
        runScenario({
          nc,
          compiled,
          speed: opts.speed,
          waitS: opts.wait,
          core: g.core,
          window: g.window,
          signal: interrupt.signal,
        }),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        for (const line of reportNotes(report, g.nats)) note(line);
      } else process.stdout.write(formatReport(report, g.nats));
      if (report.errors) note(`${report.errors} publishes failed (first: ${report.firstError})`);
      // An interrupted run judged only part of its story: that comes before publish errors and misses.
      if (report.aborted) process.exitCode = signalExitCode(interrupt.signal.reason);
      else if (report.errors) process.exitCode = 2;
      else if (report.summary.missed > 0) process.exitCode = 1;
    },
  );

program.parseAsync().catch((err: unknown) => {
  note(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
