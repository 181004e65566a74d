import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv';

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
});
