import { metricsOnce, type Registry } from '@wachtpost/platform';
import { Counter, Gauge, Histogram } from 'prom-client';

/**
 * The alert metrics of CONTRACT.md section 3, plus what the engineer on call needs: late events, messages by
 * result, retries and the size of the state snapshot.
 */
export function detectorMetrics(registry: Registry) {
  return metricsOnce(registry, 'detectors', (r) => ({
    alerts: new Counter({
      name: 'wachtpost_alerts_total',
      help: 'Alerts raised: new alerts (opened) and escalations, counted once when first published',
      labelNames: ['rule', 'severity'] as const,
      registers: [r],
    }),
    latency: new Histogram({
      name: 'wachtpost_alert_latency_seconds',
      help: 'Time from the last evidence of a new or escalated alert (lastEventAt) to its publication on ALERTS',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 150, 300, 900, 3600],
      registers: [r],
    }),
    late: new Counter({
      name: 'wachtpost_detectors_late_events_total',
      help: 'Events that arrived after their site lane watermark: stored, correlated only as late evidence',
      labelNames: ['site'] as const,
      registers: [r],
    }),
    messages: new Counter({
      name: 'wachtpost_detectors_messages_total',
      help: 'SENSORS messages handled by the detectors, by result (processed, late, duplicate, invalid, redelivered)',
      labelNames: ['result'] as const,
      registers: [r],
    }),
    retries: new Counter({
      name: 'wachtpost_detectors_retries_total',
      help: 'Commits and publications retried because the database or NATS was unavailable',
      labelNames: ['step'] as const,
      registers: [r],
    }),
    foreign: new Counter({
      name: 'wachtpost_detectors_foreign_revisions_total',
      help: 'Alert revisions the detectors derived before seeing an operator action that had already taken that rev',
      registers: [r],
    }),
    operatorActions: new Counter({
      name: 'wachtpost_detectors_operator_actions_total',
      help: 'Operator actions from the console handed to the engine (so its revisions continue from them)',
      registers: [r],
    }),
    snapshotBytes: new Gauge({
      name: 'wachtpost_detectors_snapshot_bytes',
      help: 'Size of the last engine state snapshot written to detector_state',
      registers: [r],
    }),
    streamSeq: new Gauge({
      name: 'wachtpost_detectors_stream_sequence',
      help: 'Last SENSORS stream sequence the detectors have correlated',
      registers: [r],
    }),
  }));
}
export type DetectorMetrics = ReturnType<typeof detectorMetrics>;
