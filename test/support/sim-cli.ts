import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '@wachtpost/platform';

/** A `pnpm sim` process and what it printed so far. */
export interface SimRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** The exit code; the process is killed when it runs past its limit. */
  exited: Promise<number | null>;
  startedAt: number;
}

/**
 * Runs the simulator CLI as a user would, against `natsUrl`: node itself rather than npx, so a signal sent to
 * the child reaches the CLI. Killed if it outlives `limitMs`.
 */
export function runSimCli(natsUrl: string, args: string[], limitMs = 60_000): SimRun {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'simulator/src/cli.ts', '--nats', natsUrl, ...args],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const run: SimRun = {
    child,
    stdout: '',
    stderr: '',
    startedAt: Date.now(),
    exited: new Promise((resolve) =>
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      }),
    ),
  };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return run;
}

/** The JSON summary a command prints as its last line. */
export const simSummaryOf = (run: SimRun) =>
  JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
