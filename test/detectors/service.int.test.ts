import { detectorsService } from '@wachtpost/detectors';
import { SENSORS_STREAM } from '@wachtpost/contracts';
import { loadConfig, provisionJetStream, runServices, type RunningSystem } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness } from '../support/detectors';
import { quietLog, waitFor } from '../support/harness';

/** The detectors as `pnpm start` runs them: a service on the shared runtime, with readiness and metrics. */
describe('detectors service', () => {
  let h: DetectorsHarness;
  let system: RunningSystem;
  let base: string;
  beforeAll(async () => {
    h = await startDetectorsHarness();
    system = await runServices([detectorsService], {
      config: loadConfig(h.env),
      log: quietLog,
      installSignalHandlers: false,
    });
    base = `http://127.0.0.1:${system.ctx.http.port}`;
  });
  afterAll(async () => {
    await system.shutdown();
    await h.close();
  });

  const readyz = () =>
    waitFor(
      async () => {
        const res = await fetch(`${base}/readyz`);
        return res.status === 200 && ((await res.json()) as { checks: Record<string, string> });
      },
      15_000,
      'readyz 200',
    );
  const drone = (n: number, phase: 'start' | 'update') => ({
    v: 1 as const,
    eventId: `svc-drone-${n}`,
    kind: 'drone' as const,
    siteId: 'demo',
    sensorId: 'rid-1',
    observedAt: new Date().toISOString(),
    trackId: 'svc-1',
    phase,
    detection: 'remote-id' as const,
    position: { lat: 51.6572, lon: 5.2935, altM: 80 - 10 * n },
  });

  it('is ready once it consumes, and says so in /readyz', async () => {
    const ready = await readyz();
    expect(ready.checks).toEqual({ nats: 'ok', database: 'ok', detectors: 'ok' });
  });

  it('raises a live drone incursion and exposes the contract metrics', async () => {
    await h.publishEvents([drone(1, 'start')]);
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes('wachtpost_alerts_total{rule="drone-incursion",severity="high"} 1') && text;
      },
      15_000,
      'the raised alert in /metrics',
    );
    expect(metrics).toContain('# TYPE wachtpost_alert_latency_seconds histogram');
    expect(metrics).toContain('wachtpost_alert_latency_seconds_count 1');
    expect(metrics).toContain('# TYPE wachtpost_detectors_late_events_total counter');
    const [alert] = await h.alerts();
    expect(alert).toMatchObject({
      alertId: 'demo:drone-incursion:rid-1/svc-1',
      status: 'open',
      exercise: false,
    });
  });

  it('starts again by itself on a SENSORS stream created anew, carrying its open alerts over', async () => {
    const [before] = await h.alerts();
    await h.jsm.streams.delete(SENSORS_STREAM);
    // What pnpm start's re-provisioning (or the migrate step) does within seconds.
    await provisionJetStream(h.nc, h.config, quietLog);
    await waitFor(
      async () => (await fetch(`${base}/readyz`)).status === 503,
      15_000,
      'readyz to see the stream gone',
    );
    await readyz();
    // The new stream counts from 1 again: the same track's next report continues the open alert.
    await h.publishEvents([drone(2, 'update')]);
    const after = await waitFor(
      async () => {
        const [alert] = await h.alerts();
        return alert && alert.rev > before!.rev && alert;
      },
      15_000,
      "the open alert to take the new stream's report",
    );
    expect(await h.alerts()).toHaveLength(1);
    expect(after.alertId).toBe(before!.alertId);
    expect(after.body.evidence.length).toBeGreaterThan(before!.body.evidence.length);
  });

  it('goes on after a NATS server came back without its store, with no one probing /readyz', async () => {
    await h.publishEvents([{ ...drone(3, 'start'), trackId: 'svc-3' }]);
    const holding = async (eventId: string) =>
      (await h.alerts()).find((a) => a.body.evidence.includes(eventId));
    const first = await waitFor(() => holding('svc-drone-3'), 15_000, 'an alert with the first report');
    await h.nats.restart(0, { wipeStore: true });
    // pnpm start provisions what went missing within 5 s.
    await waitFor(
      async () =>
        provisionJetStream(h.nc, h.config, quietLog).then(
          () => true,
          () => false,
        ),
      15_000,
      'streams provisioned again',
    );
    await h.publishEvents([{ ...drone(4, 'update'), trackId: 'svc-3' }]);
    const after = await waitFor(
      () => holding('svc-drone-4'),
      20_000,
      "the open alert to take the new stream's report",
    );
    expect(after.alertId).toBe(first.alertId);
    expect(after.rev).toBeGreaterThan(first.rev);
  });
});
