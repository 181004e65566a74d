import { describe, expect, it } from 'vitest';
import type { Clock } from '../run/pacer';
import { ControlledPacer } from './controlled-pacer';
import { INITIAL_STATE, transition, type Command, type RunConfig, type SimulatorState } from './state';

const feed: RunConfig = { siteId: 'demo', mode: 'feed', speed: 1, rate: 100 };

function run(commands: Command[], state: SimulatorState = INITIAL_STATE): SimulatorState {
  for (const c of commands) {
    const next = transition(state, c);
    if (!next.ok) throw new Error(next.error);
    state = next.state;
  }
  return state;
}

describe('simulator state machine', () => {
  it('starts, pauses, resumes, tunes and stops', () => {
    const s = run([
      { type: 'start', config: feed, at: 1 },
      { type: 'pause' },
      { type: 'resume' },
      { type: 'tune', speed: 60 },
      { type: 'stop', at: 9 },
    ]);
    expect(s).toEqual({ phase: 'stopped', run: { ...feed, speed: 60, startedAt: 1, endedAt: 9 } });
    // A stopped, finished or failed simulator starts again.
    expect(run([{ type: 'start', config: feed, at: 10 }], s).phase).toBe('running');
  });

  it('refuses what the phase does not allow, saying why', () => {
    const running = run([{ type: 'start', config: feed, at: 1 }]);
    const refused = (state: SimulatorState, c: Command) => {
      const t = transition(state, c);
      return t.ok ? 'allowed' : t.error;
    };
    expect(refused(running, { type: 'start', config: feed, at: 2 })).toBe(
      'a feed run is running; stop it first',
    );
    expect(refused(running, { type: 'resume' })).toBe('nothing is paused (the simulator is running)');
    expect(refused(INITIAL_STATE, { type: 'pause' })).toBe('nothing is running (the simulator is idle)');
    expect(refused(INITIAL_STATE, { type: 'stop', at: 1 })).toBe('nothing to stop (the simulator is idle)');
    expect(refused(running, { type: 'tune', rate: 5 })).toMatch(/^rate applies to load runs/);
    const load = run([{ type: 'start', config: { ...feed, mode: 'load' }, at: 1 }]);
    expect(refused(load, { type: 'tune', speed: 5 })).toMatch(/^speed applies to scenario and feed runs/);
    expect(refused(INITIAL_STATE, { type: 'start', config: { ...feed, mode: 'scenario' }, at: 1 })).toBe(
      'scenario mode needs a scenario',
    );
    const failed = run([{ type: 'failed', error: 'NATS went away', at: 5 }], running);
    expect(failed).toMatchObject({ phase: 'failed', run: { error: 'NATS went away', endedAt: 5 } });
  });
});

/** A clock the test moves by hand (the pacer's waits are woken by its changes, not by this clock). */
function manualClock() {
  let now = 0;
  const clock: Clock & { advance(ms: number): Promise<void> } = {
    now: () => now,
    sleep: () => new Promise<void>(() => undefined),
    async advance(ms) {
      now += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
  return clock;
}

describe('ControlledPacer', () => {
  it('maps simulated onto real time at a speed that can change without jumping', () => {
    const clock = manualClock();
    const pacer = new ControlledPacer(1_000_000, 10, clock);
    void clock.advance(1000);
    expect(pacer.simNow()).toBe(1_010_000);
    pacer.setSpeed(100);
    expect(pacer.simNow()).toBe(1_010_000);
    void clock.advance(1000);
    expect(pacer.simNow()).toBe(1_110_000);
  });

  it('stands still while paused and waits are woken by every change', async () => {
    const clock = manualClock();
    const pacer = new ControlledPacer(0, 1, clock);
    pacer.pause();
    await clock.advance(5000);
    expect(pacer.simNow()).toBe(0);
    let due = false;
    const waiting = pacer.until(100).then(() => (due = true));
    await clock.advance(1000);
    expect(due).toBe(false);
    pacer.resume();
    // 100 ms to go at speed 1; a speed of 1000 makes it due at once.
    pacer.setSpeed(1000);
    await clock.advance(1);
    await waiting;
    expect(due).toBe(true);
  });

  it('returns when the signal aborts, even while paused', async () => {
    const pacer = new ControlledPacer(0, 1);
    pacer.pause();
    const abort = new AbortController();
    const waiting = pacer.until(10_000, abort.signal);
    abort.abort();
    await waiting;
  });
});
