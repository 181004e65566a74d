import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { faultKinds, silence, startTime } from './cli-options';
import { FAULT_KINDS } from './messages/faults';

describe('command-line values', () => {
  it('reads fault lists', () => {
    expect(faultKinds('all')).toEqual([...FAULT_KINDS]);
    expect(faultKinds('json, duplicate')).toEqual(['json', 'duplicate']);
    expect(() => faultKinds('json,gremlins')).toThrow(InvalidArgumentError);
  });

  it('reads silences with defaults, repeatedly', () => {
    const one = silence('rf-1');
    expect(one).toEqual([{ sensorId: 'rf-1', afterS: 60, forS: 600 }]);
    expect(silence('gsm-a-1:0:30', one)).toEqual([...one, { sensorId: 'gsm-a-1', afterS: 0, forS: 30 }]);
    expect(() => silence('rf-1:x')).toThrow(InvalidArgumentError);
  });

  it('reads start times, absolute or before now', () => {
    expect(startTime('-6h')(10 * 3_600_000)).toBe(4 * 3_600_000);
    expect(startTime('2026-03-01T00:00:00Z')(0)).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(() => startTime('yesterday')).toThrow(InvalidArgumentError);
  });
});
