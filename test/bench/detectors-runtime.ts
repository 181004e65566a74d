import { DETECTORS_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { createEngine, runDetect } from '@wachtpost/detectors';
import { DEMO_SITE_FILE, loadSiteFile, loadTraffic } from '@wachtpost/simulator';
import { startDetectorsHarness } from '../support/detectors';
import { demoSite, messageOf } from '../support/events';
import { waitFor } from '../support/harness';
import type { Benchmark } from './registry';
import { machineBusyUs, round } from './stats';

/**
 * The detectors runtime against its own engine, side by side: N events of the simulator's realistic load stored
 * in SENSORS, then the time for the detectors process (production defaults, no other service running) to
 * correlate, commit and acknowledge them all; in the same run the pure engine over the same events. The gap is
 * what the runtime costs per event outside the engine (JetStream delivery and acks, decoding, validation,
 * commits): the part alert-latency's 10,000 events/s on two cores has to squeeze.
 */
export const detectorsRuntimeBench: Benchmark = {
  name: 'detectors-runtime',
  async run({ events = 200_000 }) {
    const h = await startDetectorsHarness();
    try {
      const traffic = [
        ...loadTraffic([loadSiteFile(DEMO_SITE_FILE)], {
          seed: 1,
          rate: 10_000,
          start: Date.now() - 5 * 60_000,
          count: events,
        }),
      ];
      await h.publish(
        traffic.map((e) => messageOf(e)),
        2000,
      );
      const engineStarted = performance.now();
      runDetect(createEngine([demoSite.site]), traffic);
      const engineSeconds = (performance.now() - engineStarted) / 1000;

      const detectors = h.startDetectorsProcess();
      // The clock starts at the first delivery, so the process's start-up is not counted.
      await waitFor(
        async () => (await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER)).delivered.stream_seq > 0,
        60_000,
        'the detectors process to start consuming',
      );
      const busyBefore = machineBusyUs() ?? NaN;
      const started = performance.now();
      await h.waitDetectorsIdle(10 * 60_000);
      const seconds = (performance.now() - started) / 1000;
      const busyUs = (machineBusyUs() ?? NaN) - busyBefore;
      await detectors.kill('SIGTERM'); // a graceful exit, so a CPU profile (WACHTPOST_CPU_PROFILE_DIR) is written
      return [
        {
          bench: 'detectors-runtime',
          events,
          eventsPerSec: Math.round(events / seconds),
          engineEventsPerSec: Math.round(events / engineSeconds),
          // CPU time of the whole machine (detectors, NATS, PostgreSQL) per event while the process caught up.
          cpuUsPerEvent: round(busyUs / events),
        },
      ];
    } finally {
      await h.close();
    }
  },
};
