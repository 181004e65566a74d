import { ALERTS_STREAM, DETECTORS_CONSUMER, REJECT_REASONS, SENSORS_STREAM } from '@wachtpost/contracts';
import type { DetectorsWorker } from '@wachtpost/detectors';
import { provisionJetStream } from '@wachtpost/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness } from '../support/detectors';
import { faultyMessage } from '../support/events';
import { metricValue, notReadyReason, quietLog, waitFor } from '../support/harness';
import { alertIdOf, droneDropScenario } from '../support/scenarios';

describe('detectors faults', () => {
  let h: DetectorsHarness;
  beforeAll(async () => {
    h = await startDetectorsHarness();
  });
  afterEach(() => h.stopDetectors());
  afterAll(() => h.close());

  /**
   * One message through the worker, so its pull request is with the server: the deletions below then reach it
   * as a status at once (a pull that arrives after them would only be noticed after missed heartbeats, 30 s).
   */
  let pulls = 0;
  const pullOutstanding = async () => {
    await h.publish([faultyMessage('schema', 9800 + pulls++, Date.now())]);
    await h.waitDetectorsIdle();
  };

  const ready = (worker: DetectorsWorker) =>
    waitFor(async () => (await worker.ready(), true), 10_000, 'the detectors worker ready');

  it('holds its messages through a database outage, retrying, and raises the alerts when it returns', async () => {
    const { worker, registry } = await h.startDetectors();
    await ready(worker);
    const scenario = droneDropScenario();
    await h.db.makeUnavailable();
    // More than the worker takes while it cannot commit.
    const backlog = Array.from({ length: 10_000 }, (_, i) => faultyMessage('schema', 20_000 + i, Date.now()));
    try {
      await h.publishEvents(scenario.events);
      await h.publish(backlog);
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
      // It takes only what it can hold: the rest waits in the stream.
      expect(info.num_ack_pending).toBeGreaterThanOrEqual(scenario.events.length);
      expect(info.num_ack_pending).toBeLessThan(scenario.events.length + backlog.length);
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

  it('does not overwrite a revision another writer stored, and counts it', async () => {
    const { registry } = await h.startDetectors();
    const t0 = Date.now();
    const report = (i: number, at: number) => ({
      v: 1 as const,
      eventId: `foreign-${i}`,
      kind: 'drone' as const,
      siteId: 'demo',
      sensorId: 'rid-1',
      observedAt: new Date(at).toISOString(),
      trackId: 'foreign-1',
      phase: 'update' as const,
      detection: 'remote-id' as const,
      position: { lat: 51.6572, lon: 5.2935, altM: 80 },
    });
    const alertId = 'demo:drone-incursion:rid-1/foreign-1';
    await h.publishEvents([report(1, t0)]);
    const opened = await waitFor(
      async () => (await h.alerts()).find((a) => a.alertId === alertId),
      10_000,
      'the incursion alert',
    );
    // What the console does for an operator's acknowledgement: rev 2, written beside the engine.
    const acknowledged = { ...opened.body, rev: 2, status: 'acknowledged' as const };
    await h.pool.query(
      `INSERT INTO alert_history (alert_id, rev, change, rule, severity, status, site_id, exercise, updated_at, body)
       VALUES ($1, 2, 'acknowledged', 'drone-incursion', 'high', 'acknowledged', 'demo', false, now(), $2)`,
      [alertId, JSON.stringify(acknowledged)],
    );
    await h.pool.query(`UPDATE alerts SET rev = 2, status = 'acknowledged', body = $2 WHERE alert_id = $1`, [
      alertId,
      JSON.stringify(acknowledged),
    ]);
    // The track moves on 11 s later: the engine publishes its own rev 2.
    await h.publishEvents([report(2, t0 + 11_000)]);
    await waitFor(
      async () => (await metricValue(registry, 'wachtpost_detectors_foreign_revisions_total')) === 1,
      10_000,
      'the foreign revision counted',
    );
    const [stored] = (await h.alerts()).filter((a) => a.alertId === alertId);
    expect(stored).toMatchObject({ rev: 2, status: 'acknowledged' });
    const published = (await h.published()).filter((p) => p.alert.alertId === alertId);
    expect(published.map((p) => p.alert.rev)).toEqual([1]);
  });

  it('starts again from the snapshot a stopped worker wrote and publishes nothing twice', async () => {
    const before = (await h.jsm.streams.info(ALERTS_STREAM)).state.messages;
    const { worker } = await h.startDetectors();
    await ready(worker);
    await h.waitDetectorsIdle();
    expect((await h.jsm.streams.info(ALERTS_STREAM)).state.messages).toBe(before);
  });

  // Last in this file: the recreated consumer starts over at the stream's first message.
  it('is not ready, saying why, while its consumer is gone, and consumes again once migrate recreates it', async () => {
    const { worker, registry } = await h.startDetectors();
    await ready(worker);
    await pullOutstanding();
    await h.jsm.consumers.delete(SENSORS_STREAM, DETECTORS_CONSUMER);
    const reason = await notReadyReason(worker);
    expect(reason).toMatch(/consumer "detectors" on SENSORS is gone .*run the migrate step/);
    await provisionJetStream(h.nc, h.config, quietLog);
    await ready(worker);
    // Within seconds, not after nats.js's missed heartbeats (30 s and more).
    const invalid = () => metricValue(registry, 'wachtpost_detectors_messages_total', { result: 'invalid' });
    const before = await invalid();
    await h.publish([faultyMessage('schema', 9850, Date.now())]);
    await waitFor(async () => (await invalid()) === before + 1, 10_000, 'the recreated consumer consumed');
  });

  it('asks for a restart when SENSORS itself was recreated, and a restarted worker starts from the new stream', async () => {
    const { worker } = await h.startDetectors();
    await ready(worker);
    await pullOutstanding();
    await h.jsm.streams.delete(SENSORS_STREAM);
    await notReadyReason(worker);
    await provisionJetStream(h.nc, h.config, quietLog);
    // Sequences start again at 1: a worker that went on would take every new message for one it had seen.
    await waitFor(
      () =>
        worker.ready().then(
          () => false,
          (err: Error) => /SENSORS stream was recreated .*restart this worker/.test(err.message),
        ),
      10_000,
      'the worker to ask for a restart',
    );
    await h.stopDetectors();

    const again = await h.startDetectors();
    await ready(again.worker);
    await h.publish([faultyMessage('schema', 9900, Date.now())]);
    await waitFor(
      async () =>
        (await metricValue(again.registry, 'wachtpost_detectors_messages_total', { result: 'invalid' })) ===
        1,
      10_000,
      'the new stream consumed',
    );
  });
});
