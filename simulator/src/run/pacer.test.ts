import { describe, expect, it } from 'vitest';
import { fakeClock } from '../test-fixtures';
import { Pacer } from './pacer';

describe('Pacer', () => {
  it('maps simulated time onto real time at the given speed', () => {
    const clock = fakeClock(1_000);
    const pacer = new Pacer(clock, 50_000, 1_000, 10);
    expect(pacer.realAt(60_000)).toBe(2_000);
    expect(pacer.simNow()).toBe(50_000);
  });

  it('sleeps until a message is due and not for messages already due', async () => {
    const clock = fakeClock(0);
    const pacer = new Pacer(clock, 0, 0, 2);
    await pacer.until(4_000);
    await pacer.until(3_000);
    await pacer.until(4_000.5);
    expect(clock.slept).toEqual([2_000]);
    expect(pacer.simNow()).toBe(4_000);
  });

  it('refuses a speed that is not above zero', () => {
    expect(() => new Pacer(fakeClock(0), 0, 0, 0)).toThrow(/speed/);
  });
});
