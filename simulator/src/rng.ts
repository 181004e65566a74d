import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';

/** FNV-1a over the label, folded with the seed and finished with murmur3's avalanche step. */
function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= Math.floor(seed / 0x1_0000_0000);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const TWO_POW_53 = 9007199254740992;

/**
 * Seeded random numbers over pure-rand's xoroshiro128+. The generator mutates in place for speed, but every
 * draw depends only on the seed and the draws before it, so a run is reproducible from its seed. `fork` gives a
 * process its own stream, so adding draws to one process never shifts another's.
 */
export class Rng {
  private constructor(
    private readonly gen: RandomGenerator,
    readonly seed: number,
  ) {}

  static create(seed: number, label = 'root'): Rng {
    const derived = deriveSeed(seed, label);
    return new Rng(xoroshiro128plus(derived), derived);
  }

  fork(label: string): Rng {
    return Rng.create(this.seed, label);
  }

  /** 32 random bits as an unsigned integer. */
  uint32(): number {
    return this.gen.unsafeNext() >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  float(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Picks from `[value, weight]` pairs in proportion to the weights. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.float() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** Waiting time of a Poisson process with `rate` events per unit. */
  exponential(rate: number): number {
    return -Math.log(1 - this.float()) / rate;
  }

  normal(mean = 0, sd = 1): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median; `sigma` is the spread of its logarithm. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** `count` characters of Crockford base32, as ULIDs use. */
  base32(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += CROCKFORD[this.uint32() & 31];
    return out;
  }
}

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
