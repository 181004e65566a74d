export class StoppedError extends Error {
  override name = 'StoppedError';
}

export interface RetryOptions {
  /** Called before each wait; the caller logs, counts and keeps its messages (`working()`). */
  onRetry: (err: unknown, attempt: number, delayMs: number) => void;
  /** Checked after a failure: a stopping worker gives up (its messages stay unacknowledged). */
  stopped: () => boolean;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, with capped exponential backoff: the database or NATS being away is a wait,
 * never a reason to drop or acknowledge work. It tries at least once; a failure while stopping ends it with
 * StoppedError.
 */
export async function retryUntilDone<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (options.stopped()) throw new StoppedError('stopped while retrying');
      const delayMs = Math.min(maxBackoffMs, 100 * 2 ** Math.min(attempt - 1, 10));
      options.onRetry(err, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
