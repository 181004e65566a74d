import { readFileSync } from 'node:fs';

/** Percentile by nearest rank over an unsorted sample (sorted in place). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return NaN;
  sample.sort((a, b) => a - b);
  const rank = Math.min(sample.length - 1, Math.max(0, Math.ceil((p / 100) * sample.length) - 1));
  return sample[rank]!;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/**
 * The whole machine's CPU ticks since boot from /proc/stat (all processes, all cores; 1/100 s on Linux):
 * busy (steal excluded), steal (time the host took) and total; undefined off Linux.
 */
export function machineTicks(): { busy: number; steal: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal ...
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user! + nice! + system! + irq! + softirq!;
    return { busy, steal: steal!, total: busy + steal! + idle! + iowait! };
  } catch {
    return undefined;
  }
}

/** Busy CPU time of the whole machine (steal included) in µs; undefined off Linux. */
export function machineBusyUs(): number | undefined {
  const ticks = machineTicks();
  return ticks && (ticks.busy + ticks.steal) * 10_000;
}
