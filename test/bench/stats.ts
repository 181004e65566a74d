import { readdirSync, readFileSync } from 'node:fs';

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

/** One reading of every process's CPU time: program name and µs (user + system, threads included) by pid. */
export type ProcessCpu = Map<string, { program: string; us: number }>;

/** Reads /proc/PID/stat of every process running now; empty off Linux. */
export function readProcessCpu(): ProcessCpu {
  const reading: ProcessCpu = new Map();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return reading;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ...: the name may hold spaces and parentheses, so split after the last ')'.
    const program = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    reading.set(pid, { program, us: (Number(fields[11]) + Number(fields[12])) * 10_000 }); // utime, stime
  }
  return reading;
}

/**
 * CPU µs per unit of work of the named programs between two readings, summed over the processes that ran
 * through both (new ones count from zero; those that exited meanwhile are missed, as their time is gone).
 */
export function cpuUsPerUnit(
  before: ProcessCpu,
  after: ProcessCpu,
  units: number,
  programs: readonly string[],
): Record<string, number> {
  const byProgram = new Map<string, number>();
  for (const [pid, { program, us }] of after) {
    byProgram.set(program, (byProgram.get(program) ?? 0) + us - (before.get(pid)?.us ?? 0));
  }
  return Object.fromEntries(programs.map((p) => [p, round((byProgram.get(p) ?? 0) / units)]));
}
