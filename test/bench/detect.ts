import { createEngine, runDetect, syntheticEvents } from '@wachtpost/detectors';
import { demoSite } from '../support/events';
import type { Benchmark } from './registry';
import { round } from './stats';

/**
 * Events per second through the pure detector engine (one thread, no I/O) over deterministic mixed traffic
 * of the demo site; and what a state snapshot of the end state costs the runtime (JSON size and time).
 */
export const detectBench: Benchmark = {
  name: 'detect',
  async run({ events = 200_000 }) {
    const site = demoSite.site;
    // A short run first, so the timed one does not pay for JIT compilation.
    runDetect(createEngine([site]), syntheticEvents(site, { count: 20_000, seed: 2 }));
    const input = syntheticEvents(site, { count: events, seed: 1 });
    const engine = createEngine([site]);
    const started = performance.now();
    const run = runDetect(engine, input);
    const seconds = (performance.now() - started) / 1000;
    const snapshotStarted = performance.now();
    const snapshot = JSON.stringify(run.state);
    const snapshotMs = performance.now() - snapshotStarted;
    return [
      {
        bench: 'detect',
        events,
        eventsPerSec: Math.round(events / seconds),
        changes: run.changes,
        alerts: run.alerts,
        stateBytes: snapshot.length,
        snapshotMs: round(snapshotMs),
      },
    ];
  },
};
