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

  it('ends each record with CRLF', () => {
    expect(csvLine(['x', 1, '{"a":1,"b":"c"}'])).toBe('x,1,"{""a"":1,""b"":""c""}"\r\n');
  });
});
