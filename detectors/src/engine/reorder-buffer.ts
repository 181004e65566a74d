import type { GsmEvent, RosterEvent, SearchEvent } from '@wachtpost/contracts';
import { compareOrder, toMs, type OrderKey } from './time';

/** Events the windowed rules consume in event-time order. */
export type OrderedEvent = GsmEvent | SearchEvent | RosterEvent;

export interface Pending extends OrderKey {
  event: OrderedEvent;
}

export function pendingOf(event: OrderedEvent): Pending {
  return {
    t: toMs(event.observedAt),
    seq: event.seq ?? 0,
    sensorId: event.sensorId,
    eventId: event.eventId,
    event,
  };
}

/**
 * Inserts in order among the entries from `head` on (those before it are handled); arrivals are nearly
 * sorted, so the search starts at the end. The order key includes the event id, so a redelivery the
 * dedupe horizon no longer remembers is still caught here.
 */
export function insertPending(buffer: Pending[], item: Pending, head = 0): boolean {
  let i = buffer.length;
  while (i > head && compareOrder(buffer[i - 1]!, item) > 0) i--;
  if (i > head && compareOrder(buffer[i - 1]!, item) === 0) return false;
  buffer.splice(i, 0, item);
  return true;
}

/** Cuts the handled entries off once they are most of the array: each entry is moved O(1) times overall. */
export function compactPending(buffer: Pending[], head: number): number {
  if (head === 0) return 0;
  if (head < buffer.length && (head < 1024 || head * 2 < buffer.length)) return head;
  buffer.splice(0, head);
  return 0;
}
