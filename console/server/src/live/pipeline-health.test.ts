import { describe, expect, it } from 'vitest';
import { duration } from './pipeline-health';

describe('duration', () => {
  it.each([
    [0, '0 s'],
    [44_400, '44 s'],
    [59_499, '59 s'],
    [60_000, '1 min'],
    [179_000, '2 min'],
    [3_599_000, '59 min'],
    [3_600_000, '1 h 0 min'],
    [7_500_000, '2 h 5 min'],
  ])('%i ms is %s', (ms, text) => expect(duration(ms)).toBe(text));
});
