/** Percentile by nearest rank over an unsorted sample (sorted in place). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return NaN;
  sample.sort((a, b) => a - b);
  const rank = Math.min(sample.length - 1, Math.max(0, Math.ceil((p / 100) * sample.length) - 1));
  return sample[rank]!;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
