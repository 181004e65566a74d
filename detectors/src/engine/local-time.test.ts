import { describe, expect, it } from 'vitest';
import { formatDay, localHour, nightOf, utcOffsetMs } from './local-time';

const AMS = 'Europe/Amsterdam';
const NIGHTS = { startHour: 22, endHour: 6 };
const t = (iso: string) => Date.parse(iso);

describe('local time', () => {
  it.each([
    { at: '2026-10-25T00:59:59.000Z', offsetH: 2 },
    { at: '2026-10-25T01:00:00.000Z', offsetH: 1 },
    { at: '2026-03-29T00:59:59.000Z', offsetH: 1 },
    { at: '2026-03-29T01:00:00.000Z', offsetH: 2 },
  ])('offset at $at is +$offsetH h', ({ at, offsetH }) => {
    expect(utcOffsetMs(AMS, t(at))).toBe(offsetH * 3_600_000);
  });

  it.each([
    { at: '2026-10-24T19:59:59.000Z', night: null },
    { at: '2026-10-24T20:00:00.000Z', night: '2026-10-24' },
    { at: '2026-10-25T00:30:00.000Z', night: '2026-10-24' },
    { at: '2026-10-25T01:30:00.000Z', night: '2026-10-24' },
    { at: '2026-10-25T04:59:59.000Z', night: '2026-10-24' },
    { at: '2026-10-25T05:00:00.000Z', night: null },
    { at: '2026-03-29T03:59:59.000Z', night: '2026-03-28' },
    { at: '2026-03-29T04:00:00.000Z', night: null },
  ])('$at belongs to night $night', ({ at, night }) => {
    const n = nightOf(AMS, t(at), NIGHTS);
    expect(n === null ? null : formatDay(n)).toBe(night);
  });

  it('the autumn night lasts 9 hours and the spring night 7', () => {
    const nightHours = (fromIso: string) => {
      let hours = 0;
      for (let x = t(fromIso); x < t(fromIso) + 24 * 3_600_000; x += 60_000)
        if (nightOf(AMS, x, NIGHTS) !== null) hours++;
      return hours / 60;
    };
    expect(nightHours('2026-10-24T12:00:00.000Z')).toBe(9);
    expect(nightHours('2026-03-28T12:00:00.000Z')).toBe(7);
    expect(nightHours('2026-06-01T12:00:00.000Z')).toBe(8);
  });

  it('a night that does not wrap midnight belongs to its own day', () => {
    expect(nightOf(AMS, t('2026-06-01T23:30:00.000Z'), { startHour: 0, endHour: 6 })).toBe(
      localHour(AMS, t('2026-06-01T23:30:00.000Z')).day,
    );
    expect(nightOf(AMS, t('2026-06-01T12:00:00.000Z'), { startHour: 0, endHour: 6 })).toBeNull();
  });
});
