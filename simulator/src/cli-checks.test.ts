import { describe, expect, it } from 'vitest';
import { checkSilences, feedClockWarning } from './cli-checks';
import { demoSite } from './test-fixtures';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const MINUTE = 60_000;

describe('checkSilences', () => {
  it('accepts sensors of the site', () => {
    expect(() => checkSilences([{ sensorId: 'rf-1', afterS: 60, forS: 600 }], demoSite())).not.toThrow();
  });

  it('rejects an unknown sensor and lists the valid ones', () => {
    const silence = (sensorId: string) => ({ sensorId, afterS: 60, forS: 600 });
    expect(() => checkSilences([silence('rf-1'), silence('nosuch')], demoSite())).toThrow(
      /^--silence: site demo has no sensor nosuch; its sensors are gsm-a-1, gsm-a-2, .*rf-1/,
    );
  });
});

describe('feedClockWarning', () => {
  it('warns when the start lies more than 5 minutes ahead, whatever the speed', () => {
    for (const speed of [0.5, 1, 10])
      expect(feedClockWarning({ speed, start: NOW + 6 * MINUTE, now: NOW })).toMatch(
        /--start lies 6 minutes ahead .* reject these events/,
      );
    expect(feedClockWarning({ speed: 1, start: NOW + 4 * MINUTE, now: NOW })).toBeUndefined();
  });

  it('warns at a speed above 1 unless the feed starts in the past', () => {
    expect(feedClockWarning({ speed: 2, now: NOW })).toMatch(/at speed 2 simulated time runs ahead/);
    expect(feedClockWarning({ speed: 2, start: NOW + MINUTE, now: NOW })).toMatch(/at speed 2/);
    expect(feedClockWarning({ speed: 2, start: NOW - 6 * 60 * MINUTE, now: NOW })).toBeUndefined();
    expect(feedClockWarning({ speed: 1, now: NOW })).toBeUndefined();
  });
});
