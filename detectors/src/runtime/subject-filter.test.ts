import { describe, expect, it } from 'vitest';
import { subjectMatches } from './subject-filter';

describe('subjectMatches', () => {
  it.each([
    ['sensors.v1.>', 'sensors.v1.demo.gsm.gsm-a-1', true],
    ['sensors.v1.>', 'sensors.v1', false],
    ['sensors.v1.demo.>', 'sensors.v1.other.gsm.x', false],
    ['sensors.v1.*.gsm.*', 'sensors.v1.demo.gsm.gsm-a-1', true],
    ['sensors.v1.*.gsm.*', 'sensors.v1.demo.gsm.gsm-a-1.extra', false],
    ['sensors.v1.*.gsm.*', 'sensors.v1.demo.drone.rf-1', false],
  ])('%s matches %s: %s', (filter, subject, matches) => {
    expect(subjectMatches(filter, subject)).toBe(matches);
  });
});
