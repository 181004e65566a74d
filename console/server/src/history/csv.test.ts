import { describe, expect, it } from 'vitest';
import { csvField, csvLine, localTime } from './csv';

describe('CSV (RFC 4180)', () => {
  it('leaves plain fields alone and quotes those with a comma, quote, CR or LF, doubling quotes', () => {
    expect(csvField('a-01')).toBe('a-01');
    expect(csvField(-60)).toBe('-60');
    expect(csvField(false)).toBe('false');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(['a-01', 'a-02'])).toBe('a-01;a-02');
  });

  it('defuses text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+31 6 1234')).toBe("'+31 6 1234");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('-60')).toBe('-60');
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField(['=a', 'b'])).toBe("'=a;b");
  });

  it('ends each record with CRLF', () => {
    expect(csvLine(['x', 1, '{"a":1,"b":"c"}'])).toBe('x,1,"{""a"":1,""b"":""c""}"\r\n');
  });

  it('gives an instant as the site wall clock, both sides of the DST changes', () => {
    const tz = 'Europe/Amsterdam';
    expect(localTime('2026-11-24T23:30:00.000Z', tz)).toBe('2026-11-25 00:30:00');
    expect(localTime('2026-07-01T21:59:59.999+00:00', tz)).toBe('2026-07-01 23:59:59');
    // 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 comes twice.
    expect(localTime('2026-10-25T00:30:00.000Z', tz)).toBe('2026-10-25 02:30:00');
    expect(localTime('2026-10-25T01:30:00.000Z', tz)).toBe('2026-10-25 02:30:00');
    expect(localTime('2026-03-29T01:00:00.000Z', tz)).toBe('2026-03-29 03:00:00');
    expect(localTime(null, tz)).toBe('');
    expect(localTime('2026-03-29T01:00:00.000Z', undefined)).toBe('');
    expect(localTime('2026-03-29T01:00:00.000Z', 'Not/AZone')).toBe('');
  });
});
