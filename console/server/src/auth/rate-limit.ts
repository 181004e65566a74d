/**
 * Failed logins per key (username + address) in a sliding window. In memory: each console server limits on its
 * own, so N servers allow N times the budget, still far too few guesses against argon2 hashes.
 */
export class LoginRateLimit {
  private readonly failures = new Map<string, number[]>();
  /** When a key's refusal was last reported (audited), so a lockout is reported once, not per request. */
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, (recent[recent.length - this.maxFailures] ?? 0) + this.windowMs - this.now());
  }

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 10_000) this.prune();
  }

  succeed(key: string): void {
    this.failures.delete(key);
    this.reported.delete(key);
  }

  /**
   * Whether a refusal of this key is the first since its last failure. Refused attempts cost the server
   * nothing, so a client can send them as fast as it likes: auditing each one would let anyone fill the audit
   * log (kept for good) with rows.
   */
  firstRefusal(key: string): boolean {
    const lastFailure = this.recent(key).at(-1) ?? 0;
    const reported = this.reported.get(key);
    if (reported !== undefined && reported >= lastFailure) return false;
    this.reported.set(key, this.now());
    return true;
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) {
      if (this.recent(key).length === 0) this.failures.delete(key);
    }
    for (const key of [...this.reported.keys()]) if (!this.failures.has(key)) this.reported.delete(key);
  }
}
