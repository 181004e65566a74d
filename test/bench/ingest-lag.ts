import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '@wachtpost/platform';
import { startIngestHarness } from '../support/harness';
import type { Benchmark } from './registry';
import { percentile, round } from './stats';

/**
 * A steady publish rate (default 10,000 events/s for 60 s) from a separate publisher process, and the lag from
 * each event's observedAt (set when it is published) to the commit of its batch, per event.
 */
export const ingestLagBench: Benchmark = {
  name: 'ingest-lag',
  async run({ rate = 10_000, durationS = 60 }) {
    const h = await startIngestHarness();
    try {
      const lags: number[] = [];
      await h.startWorker({
        onCommitted: (rows, committedAt) => {
          for (const row of rows) lags.push(committedAt - Date.parse(row.event.observedAt));
        },
      });
      const publisher = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./steady-publisher.ts', import.meta.url)),
          h.nats.url,
          String(rate),
          String(durationS),
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let report = '';
      publisher.stdout.on('data', (d: Buffer) => (report += d.toString()));
      const code = await new Promise<number | null>((resolve) => publisher.once('exit', resolve));
      if (code !== 0) throw new Error(`publisher exited with ${code}`);
      const { published, seconds } = JSON.parse(report) as { published: number; seconds: number };
      const deadline = Date.now() + 60_000;
      while (lags.length < published && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (lags.length < published) throw new Error(`only ${lags.length} of ${published} events committed`);
      return [
        {
          bench: 'ingest-lag',
          ratePerSec: Math.round(published / seconds),
          p50Ms: round(percentile(lags, 50)),
          p99Ms: round(percentile(lags, 99)),
          maxMs: round(percentile(lags, 100)),
          events: published,
        },
      ];
    } finally {
      await h.close();
    }
  },
};
