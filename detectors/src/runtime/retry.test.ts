import { describe, expect, it } from 'vitest';
import { retryUntilDone, StoppedError } from './retry';

const noSleep = () => Promise.resolve();

describe('retryUntilDone', () => {
  it('retries with growing, capped backoff until it succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await retryUntilDone(
      () => (++calls < 8 ? Promise.reject(new Error('database away')) : Promise.resolve('done')),
      { stopped: () => false, onRetry: (_e, _a, d) => delays.push(d), sleep: noSleep, maxBackoffMs: 1000 },
    );
    expect(value).toBe('done');
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('tries once even when stopping, and gives up on a failure while stopping', async () => {
    await expect(
      retryUntilDone(() => Promise.resolve(1), { stopped: () => true, onRetry: () => undefined }),
    ).resolves.toBe(1);
    await expect(
      retryUntilDone(() => Promise.reject(new Error('away')), {
        stopped: () => true,
        onRetry: () => undefined,
        sleep: noSleep,
      }),
    ).rejects.toBeInstanceOf(StoppedError);
  });
});
