import { describe, expect, it } from 'vitest';
import { checkSilences, feedClockWarning, scenarioClockWarning } from './cli-checks';
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

describe('scenarioClockWarning', () => {
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;

  it('says nothing about a story that lies just behind the clock, as the default origin puts it', () => {
    for (const speed of [1, 60, 3600])
      expect(scenarioClockWarning({ from: NOW - 4 * DAY, to: NOW - HOUR, speed, now: NOW })).toBeUndefined();
  });

  it('warns when an --origin puts events ahead of the clock when they are sent', () => {
    const future = { from: NOW + DAY, to: NOW + DAY + 11 * HOUR, speed: 3600, now: NOW };
    expect(scenarioClockWarning(future)).toMatch(/up to 2100 minutes ahead .* "clock"/);
    // Sent in real time, a story that starts now stays level with the clock.
    expect(scenarioClockWarning({ from: NOW, to: NOW + HOUR, speed: 1, now: NOW })).toBeUndefined();
    // Fast, it outruns it.
    expect(scenarioClockWarning({ from: NOW - HOUR, to: NOW + HOUR, speed: 60, now: NOW })).toMatch(/ahead/);
  });

  it('warns when an --origin puts events beyond the stream retention', () => {
    const old = { from: NOW - 30 * DAY, to: NOW - 30 * DAY + 11 * HOUR, speed: 3600, now: NOW };
    expect(scenarioClockWarning(old)).toMatch(/up to 30 days behind .* retention/);
  });
});
