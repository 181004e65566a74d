import { DETECTORS_CONSUMER, SENSORS_STREAM, type SensorEventInput } from '@wachtpost/contracts';
import { startDetectorsHarness } from '../support/detectors';
import { messageOf } from '../support/events';
import { waitFor } from '../support/harness';
import type { Benchmark } from './registry';
import { percentile, round } from './stats';
import { startSteadyLoad } from './steady-load';

/** Sixteen points of the demo airspace at least 200 m apart, so probe tracks never fuse into one incident. */
const PROBE_POINTS = [0, 1, 2, 3].flatMap((i) =>
  [0, 1, 2, 3].map((j) => ({ lat: 51.6568 + i * 0.0021, lon: 5.2848 + j * 0.0031, altM: 80 })),
);
/** A probe point is used again after 16 probes: more than the 30 s fusion window at this pace. */
const PROBE_EVERY_MS = 2000;
const decoder = new TextDecoder();

/**
 * The time from publishing the event that completes a rule to the alert arriving on alerts.v1.>, under a
 * steady background of valid traffic (default 10,000 events/s of the simulator's realistic load, or the ingest
 * tests' worst-case mix with `--background mixed`, from a separate publisher process) that ingest
 * and the detectors (each in its own process, as in docker compose) both consume. The probe is a
 * live drone track entering the airspace over open ground: drone-incursion fires on arrival.
 */
export const alertLatencyBench: Benchmark = {
  name: 'alert-latency',
  async run({ rate = 10_000, durationS = 60, background = 'sim' }) {
    const h = await startDetectorsHarness();
    try {
      // Both workers in processes of their own, as in docker compose: this one only publishes probes and
      // times their alerts, so its event loop adds nothing to what it measures.
      h.startServiceProcess('ingest/src/main.ts');
      h.startDetectorsProcess();
      const sentAt = new Map<string, number>();
      const latencies: number[] = [];
      const sub = h.nc.subscribe('alerts.v1.>', {
        callback: (_err, msg) => {
          const arrived = performance.now();
          const alert = JSON.parse(decoder.decode(msg.data)) as { alertId: string; rev: number };
          const track = /^demo:drone-incursion:rid-1\/(probe-\d+)$/.exec(alert.alertId)?.[1];
          const sent = track && alert.rev === 1 ? sentAt.get(track) : undefined;
          if (sent !== undefined) latencies.push(arrived - sent);
        },
      });
      let probes = 0;
      const probe = async () => {
        const trackId = `probe-${probes}`;
        const event: SensorEventInput = {
          v: 1,
          eventId: `bench-${trackId}`,
          kind: 'drone',
          siteId: 'demo',
          sensorId: 'rid-1',
          observedAt: new Date().toISOString(),
          trackId,
          phase: 'start',
          detection: 'remote-id',
          category: 'drone',
          position: PROBE_POINTS[probes % PROBE_POINTS.length]!,
        };
        probes++;
        const m = messageOf(event);
        sentAt.set(trackId, performance.now());
        await h.js.publish(m.subject, m.data, { msgID: m.msgId });
      };
      // The detectors process is up and consuming once a first probe comes back.
      await probe();
      await waitFor(async () => latencies.length === 1, 60_000, 'the detectors process to answer a probe');
      latencies.length = 0;

      const load = startSteadyLoad(h.nats.url, rate, durationS, background);
      // Probe once the background has reached its pace, until it ends.
      await Promise.race([load.ready, load.done]);
      await new Promise((r) => setTimeout(r, 3000));
      const firstProbe = probes;
      while (load.isRunning()) {
        await probe();
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      }
      const { published, seconds } = await load.done;
      const backlog = (await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER)).num_pending;
      const sent = probes - firstProbe;
      await waitFor(async () => latencies.length >= sent, 60_000, `${sent} probe alerts`).catch(
        () => undefined,
      );
      sub.unsubscribe();
      return [
        {
          bench: 'alert-latency',
          p50Ms: round(percentile(latencies, 50)),
          p99Ms: round(percentile(latencies, 99)),
          maxMs: round(percentile(latencies, 100)),
          probes: sent,
          answered: latencies.length,
          backgroundPerSec: Math.round(published / seconds),
          background,
          detectorsBacklogAtEnd: backlog,
        },
      ];
    } finally {
      await h.close();
    }
  },
};
