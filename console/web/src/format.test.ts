import { describe, expect, test } from 'vitest';
import { formatTime, localizeInstants } from './format';

describe('localizeInstants', () => {
  const now = new Date('2026-11-29T12:00:00.000Z');

  test('shows every ISO instant in the text as the page shows its other times, the rest unchanged', () => {
    const a = '2026-11-29T19:23:22.924Z';
    const b = '2026-11-28T23:59:00+01:00';
    expect(localizeInstants(`Nothing from gsm-a-1 since it was expected at ${a}; again at ${b}.`, now)).toBe(
      `Nothing from gsm-a-1 since it was expected at ${formatTime(a, now)}; again at ${formatTime(b, now)}.`,
    );
    expect(localizeInstants(`expected at ${a}`, now)).not.toContain('T19:23');
  });

  test('leaves dates without a time, times without a zone and text without instants alone', () => {
    const text = 'nights of 2026-11-27, 2026-11-28; at 2026-11-29T19:23 local; rev 4';
    expect(localizeInstants(text, now)).toBe(text);
    expect(localizeInstants('', now)).toBe('');
  });

  test('keeps a malformed instant as it was written', () => {
    expect(localizeInstants('at 2026-13-45T99:99:99Z', now)).toBe('at 2026-13-45T99:99:99Z');
  });
});
