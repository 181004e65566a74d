/**
 * When to write the next engine state snapshot. A snapshot only bounds how much of the stream a restart
 * reads again, but correlation pauses while the state is serialised, and the state grows with the traffic
 * (at 10,000 events/s the reorder buffer alone holds two minutes of events, hundreds of megabytes of JSON).
 * So: at most every `everyMs`, and never more than `budget` of the time. The cost of the next one is
 * predicted from the state's size (buffered events and remembered ids, the parts that grow with traffic) at
 * the rate the last one was serialised, so a state that grew fast is not paused on at the old interval.
 * Half a percent keeps the pauses out of the 99th percentile of alert latency; a small state (a few MB,
 * tens of ms) is still written every `everyMs`.
 */
export class SnapshotPolicy {
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastCostMs = 0;
  /** Until a large snapshot has been measured: about what packing a buffered event costs on a slow core. */
  private msPerItem = 0.002;

  constructor(
    private readonly everyMs: number,
    private readonly budget = 0.005,
  ) {}

  /** `items`: the state's size in buffered events and remembered ids (Correlator.size). */
  due(now: number, items = 0): boolean {
    if (this.everyMs === 0) return true;
    return now - this.lastAt >= this.intervalFor(items);
  }

  /** Records a snapshot of `items` taken at `at` whose pause took `costMs`. */
  taken(at: number, costMs: number, items = 0): void {
    this.lastAt = at;
    this.lastCostMs = costMs;
    // Small states cost mostly fixed overhead: only a large one says what an item costs.
    if (items >= 10_000 && costMs > 0) this.msPerItem = costMs / items;
  }

  /** The interval the next snapshot of `items` waits for (diagnostics). */
  intervalFor(items = 0): number {
    if (this.everyMs === 0) return 0;
    const expectedMs = Math.max(this.lastCostMs, items * this.msPerItem);
    return Math.max(this.everyMs, expectedMs / this.budget);
  }
}
