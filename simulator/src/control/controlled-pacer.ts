import { systemClock, type Clock } from '../run/pacer';

/**
 * A pacer a tester can pause, resume and speed up while it runs: simulated time runs `speed` times real
 * time from an anchor that moves with every change, so a change never jumps simulated time. Waits are woken
 * by every change and recomputed.
 */
export class ControlledPacer {
  private anchorSim: number;
  private anchorReal: number;
  private paused = false;
  private wakers: (() => void)[] = [];

  constructor(
    simStart: number,
    private speed: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(speed > 0)) throw new Error(`speed must be above 0, not ${speed}`);
    this.anchorSim = simStart;
    this.anchorReal = clock.now();
  }

  get currentSpeed(): number {
    return this.speed;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  simNow(): number {
    return this.paused ? this.anchorSim : this.anchorSim + (this.clock.now() - this.anchorReal) * this.speed;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new Error(`speed must be above 0, not ${speed}`);
    this.reanchor();
    this.speed = speed;
    this.wake();
  }

  pause(): void {
    if (this.paused) return;
    this.reanchor();
    this.paused = true;
    this.wake();
  }

  resume(): void {
    if (!this.paused) return;
    this.anchorReal = this.clock.now();
    this.paused = false;
    this.wake();
  }

  /** Sleeps until simulated `simMs` is due (never while paused); returns early only when `signal` aborts. */
  async until(simMs: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;
      const wait = this.paused ? Infinity : (simMs - this.simNow()) / this.speed;
      if (wait < 1) return;
      await new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        if (Number.isFinite(wait)) timer = setTimeout(done, Math.min(wait, 2 ** 31 - 1));
        this.wakers.push(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  private reanchor(): void {
    this.anchorSim = this.simNow();
    this.anchorReal = this.clock.now();
  }

  private wake(): void {
    for (const wake of this.wakers.splice(0)) wake();
  }
}
