import { CROCKFORD, type Rng } from '../rng';

/**
 * ULID-shaped event ids: 48 bits of observedAt then 80 random bits from the seeded generator. The same seed
 * and time range give the same ids (a replay is recognised as duplicates), another start time gives others.
 */
export function eventId(rng: Rng, observedAtMs: number): string {
  let time = '';
  let t = Math.max(0, Math.floor(observedAtMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + rng.base32(16);
}
