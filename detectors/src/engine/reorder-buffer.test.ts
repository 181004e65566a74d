import { describe, expect, it } from 'vitest';
import { gsm } from '../testing/fixtures';
import { compactPending, insertPending, pendingOf, type Pending } from './reorder-buffer';

const at = (s: number) => new Date(Date.parse('2026-06-01T12:00:00.000Z') + s * 1000).toISOString();
const item = (id: string, s: number) => pendingOf(gsm(id, at(s), 'a-01'));

describe('reorder buffer', () => {
  it('inserts in order among the entries from the head on, and drops a repeat there', () => {
    const buffer: Pending[] = [item('old', 0), item('b', 5), item('d', 9)];
    expect(insertPending(buffer, item('c', 7), 1)).toBe(true);
    // Older than every live entry: it goes right after the handled ones, not among them.
    expect(insertPending(buffer, item('a', 1), 1)).toBe(true);
    expect(insertPending(buffer, item('c', 7), 1)).toBe(false);
    expect(buffer.map((p) => p.eventId)).toEqual(['old', 'a', 'b', 'c', 'd']);
  });

  it('cuts handled entries off only once they are most of a large buffer, or all of it', () => {
    const buffer = Array.from({ length: 3000 }, (_, i) => item(`e${i}`, i));
    expect(compactPending(buffer, 1000)).toBe(1000);
    expect(buffer).toHaveLength(3000);
    expect(compactPending(buffer, 1600)).toBe(0);
    expect(buffer).toHaveLength(1400);
    expect(buffer[0]!.eventId).toBe('e1600');
    expect(compactPending(buffer, 1400)).toBe(0);
    expect(buffer).toHaveLength(0);
  });
});
