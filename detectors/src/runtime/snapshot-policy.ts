/**
 * When to write the next engine state snapshot. A snapshot only bounds how much of the stream a restart
 * reads again, but correlation pauses while the state is serialised, and the state grows with the traffic
 * (at 10,000 events/s the reorder buffer alone holds two minutes of events, hundreds of megabytes of JSON).
 * So: at most every `everyMs`, and never more than `budget` of the time, judged by what the last one cost.
 * Half a percent keeps the pauses out of the 99th percentile of alert latency; a small state (a few MB,
 * tens of ms) is still written every `everyMs`.
 */
export class SnapshotPolicy {
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastCostMs = 0;

  constructor(
    private readonly everyMs: number,
    private readonly budget = 0.005,
  ) {}

  due(now: number): boolean {
    if (this.everyMs === 0) return true;
    return now - this.lastAt >= Math.max(this.everyMs, this.lastCostMs / this.budget);
  }

  /** Records a snapshot taken at `at` whose pause took `costMs`. */
  taken(at: number, costMs: number): void {
    this.lastAt = at;
    this.lastCostMs = costMs;
  }

  /** The interval the next snapshot waits for (diagnostics). */
  get intervalMs(): number {
    return this.everyMs === 0 ? 0 : Math.max(this.everyMs, this.lastCostMs / this.budget);
  }
}
