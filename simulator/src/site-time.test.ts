import { describe, expect, it } from 'vitest';
import { SiteClock } from './site-time';

describe('SiteClock', () => {
  const amsterdam = new SiteClock('Europe/Amsterdam');

  it('follows daylight saving in spring and autumn', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(amsterdam.local(Date.parse('2026-03-29T00:30:00Z'))).toMatchObject({ hour: 1.5, offsetMin: 60 });
    expect(amsterdam.local(Date.parse('2026-03-29T01:30:00Z'))).toMatchObject({ hour: 3.5, offsetMin: 120 });
    expect(amsterdam.local(Date.parse('2026-10-25T00:30:00Z'))).toMatchObject({ hour: 2.5, offsetMin: 120 });
    expect(amsterdam.local(Date.parse('2026-10-25T01:30:00Z'))).toMatchObject({ hour: 2.5, offsetMin: 60 });
  });

  it('gives the local weekday across midnight', () => {
    // Saturday 23:30 UTC is Sunday 00:30 in Amsterdam in winter.
    expect(amsterdam.local(Date.parse('2026-01-03T23:30:00Z')).weekday).toBe(0);
    expect(new SiteClock('America/New_York').local(Date.parse('2026-01-04T03:00:00Z')).weekday).toBe(6);
  });
});
