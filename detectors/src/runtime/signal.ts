/** Wakes whoever waits: the receive loop tells the batch loop there is work, and the other way round. */
export class Signal {
  private waiters = new Set<() => void>();

  /** Resolves on the next notify(), or after `timeoutMs`. */
  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, Math.max(0, timeoutMs));
      this.waiters.add(done);
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
