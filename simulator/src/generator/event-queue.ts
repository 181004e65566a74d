/** Something due at `at`: an action that may return one event draft to emit at that instant. */
export interface Entry<T> {
  at: number;
  /** Insertion order: ties at the same instant run first-in first-out, which keeps runs reproducible. */
  order: number;
  run: () => T | undefined;
}

/** A binary min-heap on (at, order): the scheduler of the discrete-event simulation. */
export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(at: number, run: () => T | undefined): void {
    const heap = this.heap;
    heap.push({ at, order: this.counter++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peek(): Entry<T> | undefined {
    return this.heap[0];
  }

  pop(): Entry<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && before(heap[l]!, heap[min]!)) min = l;
      if (r < heap.length && before(heap[r]!, heap[min]!)) min = r;
      if (min === i) break;
      [heap[i], heap[min]] = [heap[min]!, heap[i]!];
      i = min;
    }
    return top;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
