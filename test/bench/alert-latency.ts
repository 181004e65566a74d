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
/** The cold services' first seconds at full rate, measured but not part of p50/p99 (see the README). */
const WARMUP_MS = 10_000;
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
      const latencyOf = new Map<string, number>();
      const sub = h.nc.subscribe('alerts.v1.>', {
        callback: (_err, msg) => {
          const arrived = performance.now();
          const alert = JSON.parse(decoder.decode(msg.data)) as { alertId: string; rev: number };
          const track = /^demo:drone-incursion:rid-1\/(probe-\d+)$/.exec(alert.alertId)?.[1];
          const sent = track && alert.rev === 1 ? sentAt.get(track) : undefined;
          if (sent !== undefined) latencyOf.set(track!, arrived - sent);
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
        return trackId;
      };
      // The detectors process is up and consuming once a first probe comes back.
      await probe();
      await waitFor(async () => latencyOf.size === 1, 60_000, 'the detectors process to answer a probe');

      const load = startSteadyLoad(h.nats.url, rate, durationS, background);
      // Probe from the moment the background starts until it ends; the first WARMUP_MS, while the cold
      // services take the step from nothing to full rate, are reported on their own.
      await Promise.race([load.ready, load.done]);
      const warmupEnds = performance.now() + WARMUP_MS;
      const warmup: string[] = [];
      const measured: string[] = [];
      while (load.isRunning()) {
        const trackId = await probe();
        (performance.now() < warmupEnds ? warmup : measured).push(trackId);
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      }
      const { published, seconds } = await load.done;
      const backlog = (await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER)).num_pending;
      const sent = [...warmup, ...measured];
      await waitFor(async () => sent.every((id) => latencyOf.has(id)), 60_000, 'every probe alert').catch(
        () => undefined,
      );
      sub.unsubscribe();
      const latencies = measured.flatMap((id) => latencyOf.get(id) ?? []);
      const warmupLatencies = warmup.flatMap((id) => latencyOf.get(id) ?? []);
      return [
        {
          bench: 'alert-latency',
          p50Ms: round(percentile(latencies, 50)),
          p99Ms: round(percentile(latencies, 99)),
          maxMs: round(percentile(latencies, 100)),
          probes: measured.length,
          answered: latencies.length,
          warmupMaxMs: round(percentile(warmupLatencies, 100)),
          warmupAnswered: `${warmupLatencies.length}/${warmup.length}`,
          backgroundPerSec: Math.round(published / seconds),
          background,
          detectorsBacklogAtEnd: backlog,
          // Every probe in order, warm-up first (-1: no alert): where in a run the slow ones fall.
          probesMs: sent.map((id) => Math.round(latencyOf.get(id) ?? -1)),
        },
      ];
    } finally {
      await h.close();
    }
  },
};
