import { describe, expect, it } from 'vitest';
import {
  advanceWatermark,
  declareOffline,
  emptyClock,
  observeHeartbeat,
  observeSensor,
  sensorsWithGaps,
} from './clock';

describe('clock', () => {
  it('the watermark is the slowest live sensor minus the lateness, and never goes back', () => {
    const clock = emptyClock();
    observeSensor(clock, 'a', 10_000, 'e1', 30);
    observeSensor(clock, 'b', 50_000, 'e2', 30);
    expect(advanceWatermark(clock, 1_000)).toBe(9_000);
    observeSensor(clock, 'a', 5_000, 'e0', 30);
    expect(advanceWatermark(clock, 1_000)).toBe(9_000);
    observeSensor(clock, 'a', 60_000, 'e3', 30);
    expect(advanceWatermark(clock, 1_000)).toBe(49_000);
  });

  it('declares a sensor offline strictly after missed intervals, and it returns with a newer event', () => {
    const clock = emptyClock();
    observeSensor(clock, 'a', 0, 'e1', 10);
    expect(declareOffline(clock, 30_000, 3)).toEqual([]);
    expect(declareOffline(clock, 30_001, 3)).toEqual([
      { sensorId: 'a', since: 30_000, last: 0, lastId: 'e1', intervalS: 10 },
    ]);
    expect(declareOffline(clock, 90_000, 3)).toEqual([]);
    expect(observeSensor(clock, 'a', -5, 'old', 10)).toEqual({ returned: false });
    expect(observeSensor(clock, 'a', 40_000, 'e2', 10)).toEqual({ returned: true });
    expect(sensorsWithGaps(clock, ['a'], 35_000, 36_000)).toEqual(['a']);
    expect(sensorsWithGaps(clock, ['a'], 41_000, 50_000)).toEqual([]);
  });

  it('without live sensors the watermark follows the newest time seen', () => {
    const clock = emptyClock();
    observeSensor(clock, 'a', 0, 'e1', 1);
    clock.observedUntil = 100_000;
    declareOffline(clock, 90_000, 3);
    expect(advanceWatermark(clock, 10_000)).toBe(90_000);
  });

  it('applies only the newest heartbeat status', () => {
    const clock = emptyClock();
    expect(observeHeartbeat(clock, 'a', 100, 'fault', 10)).toBe('fault');
    expect(observeHeartbeat(clock, 'a', 50, 'ok', 10)).toBeNull();
    expect(observeHeartbeat(clock, 'a', 200, 'degraded', 10)).toBe('recovered');
    expect(sensorsWithGaps(clock, ['a'], 150, 150)).toEqual(['a']);
  });
});
