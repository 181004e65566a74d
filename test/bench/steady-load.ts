import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '@wachtpost/platform';

/**
 * What the background traffic is. `sim`: the simulator's `load` (realistic mixed site traffic re-timed to the
 * rate: heartbeats, drone tracks, GSM, the occasional roster move and search). `mixed`: the ingest tests' event
 * mix (a fifth each of GSM, drone, search, roster move and heartbeat), a worst case for the detectors: at
 * 10,000 events/s it moves detainees 2,000 times a second.
 */
export type Background = 'sim' | 'mixed';
export const BACKGROUNDS: readonly Background[] = ['sim', 'mixed'];

export interface SteadyLoad {
  /** Resolves when the publisher has its traffic ready and starts sending. */
  ready: Promise<void>;
  /** Resolves with what the publisher sent once it has finished; rejects when it failed. */
  done: Promise<{ published: number; seconds: number }>;
  isRunning(): boolean;
}

/** Starts the background publisher as its own process, so its traffic does not share the measured event loop. */
export function startSteadyLoad(
  natsUrl: string,
  rate: number,
  durationS: number,
  background: Background = 'mixed',
): SteadyLoad {
  const publisher = spawn(
    process.execPath,
    [
      ...(process.env.WACHTPOST_CPU_PROFILE_DIR
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.WACHTPOST_CPU_PROFILE_DIR]
        : []),
      // A young generation big enough for the acknowledgements in flight: without it they are promoted and the
      // old generation (the traffic generated up front) is collected again and again.
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      fileURLToPath(new URL('./steady-publisher.ts', import.meta.url)),
      natsUrl,
      String(rate),
      String(durationS),
      background,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let report = '';
  let running = true;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  publisher.stdout.on('data', (d: Buffer) => {
    report += d.toString();
    if (report.startsWith('ready\n')) markReady();
  });
  const done = new Promise<{ published: number; seconds: number }>((resolve, reject) =>
    publisher.once('exit', (code) => {
      running = false;
      if (code !== 0) reject(new Error(`publisher exited with ${code}`));
      else resolve(JSON.parse(report.slice('ready\n'.length)) as { published: number; seconds: number });
    }),
  );
  return { ready, done, isRunning: () => running };
}
