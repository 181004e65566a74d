import { startIngestHarness } from '../support/harness';
import type { Benchmark } from './registry';
import { percentile, round } from './stats';
import { startSteadyLoad } from './steady-load';

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
      const { published, seconds } = await startSteadyLoad(h.nats.url, rate, durationS).done;
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
