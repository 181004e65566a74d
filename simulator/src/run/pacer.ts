/** Real time, injectable so pacing can be tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * Maps simulated time onto real time: simulated `simStart` is real `realStart`, and simulated time runs
 * `speed` times as fast.
 */
export class Pacer {
  constructor(
    private readonly clock: Clock,
    readonly simStart: number,
    readonly realStart: number,
    readonly speed: number,
  ) {
    if (!(speed > 0)) throw new Error(`speed must be above 0, not ${speed}`);
  }

  realAt(simMs: number): number {
    return this.realStart + (simMs - this.simStart) / this.speed;
  }

  simNow(): number {
    return this.simStart + (this.clock.now() - this.realStart) * this.speed;
  }

  /** Sleeps until simulated `simMs` is due; returns at once when it is already due. */
  async until(simMs: number, signal?: AbortSignal): Promise<void> {
    const wait = this.realAt(simMs) - this.clock.now();
    // setTimeout cannot wait less than about a millisecond; sooner messages go out with the current batch.
    if (wait >= 1) await this.clock.sleep(wait, signal);
  }
}
