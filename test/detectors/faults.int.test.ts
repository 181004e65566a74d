import { ALERTS_STREAM, DETECTORS_CONSUMER, REJECT_REASONS, SENSORS_STREAM } from '@wachtpost/contracts';
import type { DetectorsWorker } from '@wachtpost/detectors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness } from '../support/detectors';
import { faultyMessage } from '../support/events';
import { metricValue, waitFor } from '../support/harness';
import { alertIdOf, droneDropScenario } from '../support/scenarios';

describe('detectors faults', () => {
  let h: DetectorsHarness;
  beforeAll(async () => {
    h = await startDetectorsHarness();
  });
  afterEach(() => h.stopDetectors());
  afterAll(() => h.close());

  const ready = (worker: DetectorsWorker) =>
    waitFor(async () => (await worker.ready(), true), 10_000, 'the detectors worker ready');

  it('holds its messages through a database outage, retrying, and raises the alerts when it returns', async () => {
    const { worker, registry } = await h.startDetectors();
    await ready(worker);
    const scenario = droneDropScenario();
    await h.db.makeUnavailable();
    try {
      await h.publishEvents(scenario.events);
      await waitFor(
        () =>
          worker.ready().then(
            () => false,
            (err: Error) => /alerts not stored/.test(err.message),
          ),
        10_000,
        'readiness to report the failing commits',
      );
      // Longer than the 5 s ack wait: without working() the messages would be handed out again.
      await new Promise((r) => setTimeout(r, 7000));
      const info = await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
      expect(info.num_ack_pending).toBe(scenario.events.length);
      expect(info.num_redelivered).toBe(0);
      expect((await h.jsm.streams.info(ALERTS_STREAM)).state.messages).toBe(0);
    } finally {
      await h.db.makeAvailable();
    }
    await h.waitDetectorsIdle();
    await ready(worker);
    expect((await h.alerts()).map((a) => a.alertId)).toEqual(scenario.expected.map(alertIdOf).sort());
    expect(
      await metricValue(registry, 'wachtpost_detectors_retries_total', { step: 'commit' }),
    ).toBeGreaterThan(0);
  });

  it('acknowledges and counts messages that break the contract without correlating them', async () => {
    const { registry } = await h.startDetectors();
    const before = (await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER)).delivered.stream_seq;
    await h.publish(REJECT_REASONS.map((reason, i) => faultyMessage(reason, 9000 + i, Date.now())));
    await h.waitDetectorsIdle();
    const info = await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
    expect(info.delivered.stream_seq).toBe(before + REJECT_REASONS.length);
    expect(await metricValue(registry, 'wachtpost_detectors_messages_total', { result: 'invalid' })).toBe(
      REJECT_REASONS.length,
    );
  });

  it('hands the wall clock to live lanes: a silent sensor goes offline on the tick, and back', async () => {
    const { registry } = await h.startDetectors({
      tickMs: 200,
      detectorParams: { demo: { engine: { allowedLatenessS: 1 } } },
    });
    const beat = (i: number, intervalS: number) => ({
      v: 1 as const,
      eventId: `live-hb-${i}`,
      kind: 'heartbeat' as const,
      siteId: 'demo',
      sensorId: 'rf-2',
      observedAt: new Date().toISOString(),
      status: 'ok' as const,
      intervalS,
    });
    await h.publishEvents([beat(1, 1)]);
    // Nothing else arrives: only the runtime's tick can tell that three one-second intervals have passed.
    const offline = await waitFor(
      async () => (await h.alerts({ exercise: false })).find((a) => a.alertId === 'demo:sensor-offline:rf-2'),
      15_000,
      'sensor-offline for rf-2',
    );
    expect(offline).toMatchObject({ rule: 'sensor-offline', severity: 'high', status: 'open' });
    await h.publishEvents([beat(2, 60)]);
    await waitFor(
      async () =>
        (await h.alerts({ exercise: false })).find(
          (a) => a.alertId === 'demo:sensor-offline:rf-2' && a.status === 'resolved',
        ),
      15_000,
      'sensor-offline for rf-2 resolved',
    );
    expect(
      await metricValue(registry, 'wachtpost_alerts_total', { rule: 'sensor-offline', severity: 'high' }),
    ).toBe(1);
  });

  it('starts again from the snapshot a stopped worker wrote and publishes nothing twice', async () => {
    const before = (await h.jsm.streams.info(ALERTS_STREAM)).state.messages;
    const { worker } = await h.startDetectors();
    await ready(worker);
    await h.waitDetectorsIdle();
    expect((await h.jsm.streams.info(ALERTS_STREAM)).state.messages).toBe(before);
  });
});
