import { readFileSync } from 'node:fs';

/** Percentile by nearest rank over an unsorted sample (sorted in place). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return NaN;
  sample.sort((a, b) => a - b);
  const rank = Math.min(sample.length - 1, Math.max(0, Math.ceil((p / 100) * sample.length) - 1));
  return sample[rank]!;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Busy CPU time of the whole machine (all processes, all cores) in µs, from /proc/stat; undefined off Linux. */
export function machineBusyUs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal ...; ticks are 1/100 s on Linux.
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) * 10_000;
  } catch {
    return undefined;
  }
}
