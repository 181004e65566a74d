import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { machineTicks, round } from './stats';

/**
 * A fixed single-threaded workload (JSON round trips and hashing, what the services spend their CPU on), timed
 * before the benchmarks. The same machine kind has run twice as fast on one day as on another with the same
 * code, so a figure is comparable only with one taken beside a similar reference. `referenceCpuMs` well below
 * `referenceMs` means the process waited for a core (other load, or `stealPct`: time the host took).
 */
export function machineReference(): Record<string, unknown> {
  const doc = Array.from({ length: 2000 }, (_, i) => ({
    eventId: `e-${i}`,
    observedAt: new Date(i * 1000).toISOString(),
    position: { lat: 51.65 + i / 1e5, lon: 5.28 + i / 1e5, altM: 80 },
    tags: ['drone', 'remote-id'],
  }));
  const ticksBefore = machineTicks();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < 100; i++) JSON.parse(JSON.stringify(doc));
  createHash('sha256')
    .update(Buffer.alloc(64 << 20, 7))
    .digest();
  const referenceMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const ticksAfter = machineTicks();
  const stealPct =
    ticksBefore && ticksAfter && ticksAfter.total > ticksBefore.total
      ? round((100 * (ticksAfter.steal - ticksBefore.steal)) / (ticksAfter.total - ticksBefore.total))
      : null;
  return {
    bench: 'machine',
    referenceMs: round(referenceMs),
    referenceCpuMs: round((cpu.user + cpu.system) / 1000),
    stealPct,
    cores: cpus().length,
    loadAvg1m: round(loadavg()[0]!, 2),
  };
}
