import { refusedByDatabase, type AcceptedRow, type PreparedBatch, type RejectedRow } from './prepare';
import type { InsertResult } from './writer';

export type InsertFn = (accepted: AcceptedRow[], rejected: RejectedRow[]) => Promise<InsertResult>;

export interface StoreOutcome {
  /** Accepted rows stored now (not seen before). */
  stored: AcceptedRow[];
  duplicates: number;
  rejectedByReason: Map<string, number>;
}

export interface StoreOptions {
  /** Called before each wait after a failure that is not the data's fault (database down, connection lost). */
  onRetry: (err: unknown, attempt: number, delayMs: number) => void;
  /** Once aborted, a failure is not retried: the worker is stopping (see `StoppedRetrying`). */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  maxBackoffMs?: number;
}

/**
 * The worker stopped while the database was away: the batch is given up, unacknowledged, so JetStream hands it
 * out again (to this worker's successor or another one). Parts already committed come back as duplicates.
 */
export class StoppedRetrying extends Error {
  override name = 'StoppedRetrying';
  constructor(cause: unknown) {
    super(`stopped retrying: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * SQLSTATE classes that blame the rows, not the server: data exceptions (22), integrity violations (23) and
 * program limits such as an oversized index row (54). Anything else is retried until the database is back.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/** Waits `ms`, or less when `signal` aborts meanwhile. */
export const sleepUnlessAborted = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Stores a prepared batch: one insert when all is well; while the database is away, retries with capped
 * exponential backoff until it is back or `signal` aborts (then throws `StoppedRetrying`); when it refuses the rows, splits the batch until the one refused
 * row is found and stores it as rejected. Parts already committed are never written again, so counts stay exact.
 */
export async function storeBatch(
  batch: PreparedBatch,
  insert: InsertFn,
  options: StoreOptions,
): Promise<StoreOutcome> {
  const sleep = options.sleep ?? sleepUnlessAborted;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const outcome: StoreOutcome = {
    stored: [],
    duplicates: batch.duplicatesInBatch,
    rejectedByReason: new Map(),
  };

  const attempt = async (accepted: AcceptedRow[], rejected: RejectedRow[]): Promise<void> => {
    for (let tries = 1; ; tries++) {
      try {
        const result = await insert(accepted, rejected);
        for (const row of accepted) {
          if (result.inserted.has(row.event.eventId)) outcome.stored.push(row);
          else outcome.duplicates++;
        }
        for (const [reason, n] of result.rejectedByReason) {
          outcome.rejectedByReason.set(reason, (outcome.rejectedByReason.get(reason) ?? 0) + n);
        }
        return;
      } catch (err) {
        if (isDataError(err) && accepted.length > 0) {
          if (accepted.length === 1) {
            return attempt([], [...rejected, refusedByDatabase(accepted[0]!, (err as Error).message)]);
          }
          const half = Math.ceil(accepted.length / 2);
          await attempt(accepted.slice(0, half), rejected);
          return attempt(accepted.slice(half), []);
        }
        if (options.signal?.aborted) throw new StoppedRetrying(err);
        const delayMs = Math.min(maxBackoffMs, 100 * 2 ** Math.min(tries - 1, 10));
        options.onRetry(err, tries, delayMs);
        await sleep(delayMs, options.signal);
        if (options.signal?.aborted) throw new StoppedRetrying(err);
      }
    }
  };

  await attempt(batch.accepted, batch.rejected);
  return outcome;
}
