import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '@wachtpost/platform';

export interface SteadyLoad {
  /** Resolves with what the publisher sent once it has finished; rejects when it failed. */
  done: Promise<{ published: number; seconds: number }>;
  isRunning(): boolean;
}

/** Starts steady-publisher.ts as its own process, so background traffic does not share the measured event loop. */
export function startSteadyLoad(natsUrl: string, rate: number, durationS: number): SteadyLoad {
  const publisher = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./steady-publisher.ts', import.meta.url)),
      natsUrl,
      String(rate),
      String(durationS),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let report = '';
  let running = true;
  publisher.stdout.on('data', (d: Buffer) => (report += d.toString()));
  const done = new Promise<{ published: number; seconds: number }>((resolve, reject) =>
    publisher.once('exit', (code) => {
      running = false;
      if (code !== 0) reject(new Error(`publisher exited with ${code}`));
      else resolve(JSON.parse(report) as { published: number; seconds: number });
    }),
  );
  return { done, isRunning: () => running };
}
