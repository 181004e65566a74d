import type { Rng } from '../rng';
import { HOUR_MS } from './rates';

/**
 * The next arrival after `t` of a Poisson process whose rate changes with time (per hour, by local clock),
 * by thinning: draw candidates at the peak rate and keep each with probability rate(t) / peak.
 * Returns undefined when the rate is zero everywhere.
 */
export function nextArrival(
  rng: Rng,
  t: number,
  peakPerHour: number,
  ratePerHourAt: (t: number) => number,
): number | undefined {
  if (!(peakPerHour > 0)) return undefined;
  for (;;) {
    t += rng.exponential(peakPerHour) * HOUR_MS;
    if (rng.float() * peakPerHour < ratePerHourAt(t)) return Math.floor(t);
  }
}

/** Scales hourly weights so that they average 1 over the day. */
export function normaliseWeights(weights: readonly number[]): number[] {
  const mean = weights.reduce((s, w) => s + w, 0) / weights.length;
  return weights.map((w) => w / mean);
}

/** The weight of the hour `hour` (fractional) in a 24-entry profile. */
export function hourWeight(weights: readonly number[], hour: number): number {
  return weights[Math.floor(hour) % 24] ?? 0;
}
