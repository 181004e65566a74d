import type { SensorEventInput } from '@wachtpost/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness } from '../support/detectors';
import { demoSite } from '../support/events';
import { metricValue } from '../support/harness';

const MINUTE = 60_000;

/**
 * Live heartbeats of every sensor of the demo site at its interval over [from, to): what a site sends while
 * the detectors are away, queued in SENSORS.
 */
function heartbeats(from: number, to: number): SensorEventInput[] {
  const events: SensorEventInput[] = [];
  for (const sensor of demoSite.site.sensors) {
    const everyMs = sensor.heartbeatIntervalS * 1000;
    for (let t = from; t < to; t += everyMs) {
      events.push({
        v: 1,
        eventId: `backlog-${sensor.id}-${t}`,
        kind: 'heartbeat',
        siteId: 'demo',
        sensorId: sensor.id,
        observedAt: new Date(t).toISOString(),
        status: 'ok',
        intervalS: sensor.heartbeatIntervalS,
      });
    }
  }
  return events.sort((a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt));
}

/**
 * A backlog is not silence: minutes of queued live traffic, correlated with the wall clock ticking many times
 * meanwhile, must neither declare its sensors offline (their heartbeats are queued, not missing) nor arrive
 * late (behind a watermark the wall clock moved).
 */
describe('detectors behind the stream', () => {
  let h: DetectorsHarness;
  beforeEach(async () => {
    h = await startDetectorsHarness();
  });
  afterEach(() => h.close());

  // Small batches and a fast tick: dozens of ticks fall while the backlog is correlated.
  const behind = { batchSize: 10, batchWaitMs: 5, tickMs: 10 };

  /** Every queued event correlated on time, and not one sensor-offline alert (not even one since resolved). */
  async function expectNoFalseAlarms(registry: Parameters<typeof metricValue>[0], events: number) {
    const offline = (await h.alerts({ exercise: false })).filter((a) => a.rule === 'sensor-offline');
    expect(offline.map((a) => a.alertId)).toEqual([]);
    const counted = (result: string) =>
      metricValue(registry, 'wachtpost_detectors_messages_total', { result });
    expect(await counted('late')).toBe(0);
    expect(await counted('processed')).toBe(events);
  }

  it('on a first start over stored traffic, expects the sensors only once it has caught up', async () => {
    const now = Date.now();
    const backlog = heartbeats(now - 8 * MINUTE, now);
    await h.publishEvents(backlog);
    const { registry } = await h.startDetectors({ ...behind, expectSensors: true });
    await h.waitDetectorsIdle();
    await expectNoFalseAlarms(registry, backlog.length);
  });

  it('after a restart with minutes queued, holds the wall clock until it has caught up', async () => {
    const now = Date.now();
    await h.publishEvents(heartbeats(now - 8 * MINUTE, now - 5 * MINUTE));
    // The first run never ticks: its last heartbeats are the newest thing it knows when it stops.
    await h.startDetectors({ ...behind, tickMs: 3_600_000 });
    await h.waitDetectorsIdle();
    await h.stopDetectors();

    const backlog = heartbeats(now - 5 * MINUTE, now);
    await h.publishEvents(backlog);
    const { registry } = await h.startDetectors(behind);
    await h.waitDetectorsIdle();
    await expectNoFalseAlarms(registry, backlog.length);
  });
});
