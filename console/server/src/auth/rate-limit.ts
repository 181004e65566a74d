/**
 * Failed logins in a sliding window, counted twice: per username and address (a guesser at one account), and per
 * address alone (one client trying a password or two against many usernames, which the first count never
 * stops). A success clears the first count only: an attacker holding one account must not be able to reset the
 * address's count between guesses at others. In memory: each console server limits on its own, so N servers
 * allow N times the budget, still far too few guesses against argon2 hashes.
 */
export class LoginRateLimit {
  private readonly failures = new Map<string, number[]>();
  /** When a key's refusal was last reported (audited), so a lockout is reported once, not per request. */
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxFailuresPerAddress = 20,
  ) {}

  /**
   * Milliseconds until this username may try again from this address, or 0 when it may try now, and the count
   * that holds it back (`address` when the address as a whole has failed too often).
   */
  check(username: string, address: string): { waitMs: number; by: 'account' | 'address' } {
    const account = this.waitMs(accountKey(username, address), this.maxFailures);
    const whole = this.waitMs(addressKey(address), this.maxFailuresPerAddress);
    return whole > account ? { waitMs: whole, by: 'address' } : { waitMs: account, by: 'account' };
  }

  fail(username: string, address: string): void {
    for (const key of [accountKey(username, address), addressKey(address)]) {
      this.failures.set(key, [...this.recent(key), this.now()]);
    }
    if (this.failures.size > 10_000) this.prune();
  }

  /** Clears the account's count, and takes back the failure `fail` counted for this attempt at the address. */
  succeed(username: string, address: string): void {
    const key = accountKey(username, address);
    this.failures.delete(key);
    this.reported.delete(key);
    this.failures.get(addressKey(address))?.pop();
  }

  /**
   * Whether a refusal is the first since the last failure of the count that refused it. Refused attempts cost
   * the server nothing, so a client can send them as fast as it likes: auditing each one would let anyone fill
   * the audit log (kept for good) with rows.
   */
  firstRefusal(username: string, address: string, by: 'account' | 'address'): boolean {
    const key = by === 'address' ? addressKey(address) : accountKey(username, address);
    const lastFailure = this.recent(key).at(-1) ?? 0;
    const reported = this.reported.get(key);
    if (reported !== undefined && reported >= lastFailure) return false;
    this.reported.set(key, this.now());
    return true;
  }

  private waitMs(key: string, max: number): number {
    const recent = this.recent(key);
    if (recent.length < max) return 0;
    return Math.max(1, (recent[recent.length - max] ?? 0) + this.windowMs - this.now());
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

const accountKey = (username: string, address: string) => `u\u0000${username}\u0000${address}`;
const addressKey = (address: string) => `a\u0000${address}`;
