import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('repeats its draws for a seed and label', () => {
    const draw = (rng: Rng) => Array.from({ length: 50 }, () => rng.float());
    expect(draw(Rng.create(42, 'x'))).toEqual(draw(Rng.create(42, 'x')));
    expect(draw(Rng.create(42, 'x'))).not.toEqual(draw(Rng.create(43, 'x')));
    expect(draw(Rng.create(42, 'x'))).not.toEqual(draw(Rng.create(42, 'y')));
  });

  it('keeps draws in range', () => {
    const rng = Rng.create(1);
    for (let i = 0; i < 10_000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      const n = rng.int(3, 7);
      expect(n >= 3 && n <= 7 && Number.isInteger(n)).toBe(true);
    }
  });

  it('draws Poisson and exponential values with the right means', () => {
    const rng = Rng.create(9);
    const n = 20_000;
    let poisson = 0;
    let exponential = 0;
    for (let i = 0; i < n; i++) {
      poisson += rng.poisson(3);
      exponential += rng.exponential(2);
    }
    expect(poisson / n).toBeCloseTo(3, 1);
    expect(exponential / n).toBeCloseTo(0.5, 1);
  });

  it('writes Crockford base32', () => {
    expect(Rng.create(5).base32(40)).toMatch(/^[0-9A-HJKMNP-TV-Z]{40}$/);
  });
});
