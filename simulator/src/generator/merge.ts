import type { SensorEvent } from '@wachtpost/contracts';

/**
 * Merges streams that are each in observedAt order into one; ties go to the earlier stream. The strings are
 * ISO instants in UTC with milliseconds, so comparing them as text compares the instants.
 */
export function* mergeByObservedAt(streams: readonly Iterable<SensorEvent>[]): Generator<SensorEvent> {
  const iterators = streams.map((s) => s[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done) continue;
      const current = heads[best];
      if (best < 0 || (current && !current.done && head.value.observedAt < current.value.observedAt))
        best = i;
    }
    if (best < 0) return;
    const head = heads[best]!;
    if (head.done) return;
    yield head.value;
    heads[best] = iterators[best]!.next();
  }
}
