import { metricsOnce, type Registry } from '@wachtpost/platform';
import { Counter, Histogram } from 'prom-client';

/** The ingest metrics named in CONTRACT.md section 3, plus batch figures for the engineer on call. */
export function ingestMetrics(registry: Registry) {
  return metricsOnce(registry, 'ingest', (r) => ({
    events: new Counter({
      name: 'wachtpost_ingest_events_total',
      help: 'Sensor messages handled by ingest, by result (accepted, duplicate, rejected) and reject reason',
      labelNames: ['result', 'reason'] as const,
      registers: [r],
    }),
    lag: new Histogram({
      name: 'wachtpost_ingest_lag_seconds',
      help: 'Time from an event being observed (observedAt) to its commit in the database',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers: [r],
    }),
    batchSize: new Histogram({
      name: 'wachtpost_ingest_batch_size',
      help: 'Messages per committed ingest batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
      registers: [r],
    }),
    retries: new Counter({
      name: 'wachtpost_ingest_write_retries_total',
      help: 'Batch writes retried because the database was unavailable',
      registers: [r],
    }),
  }));
}
export type IngestMetrics = ReturnType<typeof ingestMetrics>;
