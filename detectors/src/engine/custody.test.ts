import { describe, expect, it } from 'vitest';
import { roster } from '../testing/fixtures';
import { applyRoster, cellAt, detaineesIn, emptyCustody, pruneCustody } from './custody';

const t = (iso: string) => Date.parse(iso);

describe('custody', () => {
  it('answers "who was in the cell" as of any time, with back-dated corrections slotted in', () => {
    const c = emptyCustody();
    applyRoster(c, roster('r1', '2026-06-01T08:00:00.000Z', 'D1', 'admit', 'a-01'));
    applyRoster(c, roster('r2', '2026-06-05T08:00:00.000Z', 'D1', 'move', 'a-02'));
    // Recorded on the 6th: D1 was in a-03 from the 3rd.
    expect(
      applyRoster(
        c,
        roster('r3', '2026-06-06T08:00:00.000Z', 'D1', 'move', 'a-03', '2026-06-03T08:00:00.000Z'),
      ),
      // Only a-03 (now holding from the 3rd) and a-01 (losing the 3rd to the 5th) change; a-02 does not.
    ).toEqual({
      cells: ['a-03', 'a-01'],
      from: t('2026-06-03T08:00:00.000Z'),
      to: t('2026-06-05T08:00:00.000Z'),
    });
    expect(cellAt(c, 'D1', t('2026-06-02T00:00:00.000Z'))).toBe('a-01');
    expect(cellAt(c, 'D1', t('2026-06-04T00:00:00.000Z'))).toBe('a-03');
    expect(cellAt(c, 'D1', t('2026-06-05T08:00:00.000Z'))).toBe('a-02');
    expect(cellAt(c, 'D1', t('2026-05-01T00:00:00.000Z'))).toBeNull();
    expect(detaineesIn(c, 'a-03', t('2026-06-04T00:00:00.000Z'))).toEqual(['D1']);
    expect(detaineesIn(c, 'a-01', t('2026-06-04T00:00:00.000Z'))).toEqual([]);
  });

  it('a move effective after everything known changes only the time from it on', () => {
    const c = emptyCustody();
    applyRoster(c, roster('r1', '2026-06-01T08:00:00.000Z', 'D1', 'admit', 'a-01'));
    expect(applyRoster(c, roster('r2', '2026-06-05T08:00:00.000Z', 'D1', 'move', 'a-02'))).toEqual({
      cells: ['a-02', 'a-01'],
      from: t('2026-06-05T08:00:00.000Z'),
      to: Number.POSITIVE_INFINITY,
    });
  });

  it('a later record for the same effective time wins; release empties; duplicates are ignored', () => {
    const c = emptyCustody();
    applyRoster(c, roster('r1', '2026-06-01T08:00:00.000Z', 'D1', 'admit', 'a-01'));
    applyRoster(
      c,
      roster('r2', '2026-06-01T09:00:00.000Z', 'D1', 'admit', 'a-02', '2026-06-01T08:00:00.000Z'),
    );
    expect(cellAt(c, 'D1', t('2026-06-01T10:00:00.000Z'))).toBe('a-02');
    applyRoster(c, roster('r3', '2026-06-02T08:00:00.000Z', 'D1', 'release', undefined));
    expect(cellAt(c, 'D1', t('2026-06-03T00:00:00.000Z'))).toBeNull();
    expect(applyRoster(c, roster('r3', '2026-06-02T08:00:00.000Z', 'D1', 'release', undefined))).toBeNull();
  });

  it('pruning keeps what still holds and forgets the released', () => {
    const c = emptyCustody();
    applyRoster(c, roster('r1', '2026-06-01T08:00:00.000Z', 'D1', 'admit', 'a-01'));
    applyRoster(c, roster('r2', '2026-06-02T08:00:00.000Z', 'D1', 'move', 'a-02'));
    applyRoster(c, roster('r3', '2026-06-01T08:00:00.000Z', 'D2', 'admit', 'a-03'));
    applyRoster(c, roster('r4', '2026-06-02T08:00:00.000Z', 'D2', 'release', undefined));
    pruneCustody(c, t('2026-06-10T00:00:00.000Z'));
    expect(c.detainees['D1']).toHaveLength(1);
    expect(c.detainees['D2']).toBeUndefined();
    expect(cellAt(c, 'D1', t('2026-06-11T00:00:00.000Z'))).toBe('a-02');
    expect(c.cells).toEqual({ 'a-02': ['D1'] });
  });

  it('keeps odd detainee ids as data, never as object members', () => {
    const c = emptyCustody();
    applyRoster(c, roster('r1', '2026-06-01T08:00:00.000Z', '__proto__', 'admit', 'a-01'));
    applyRoster(c, roster('r2', '2026-06-01T08:00:00.000Z', 'constructor', 'admit', 'a-01'));
    expect(detaineesIn(c, 'a-01', t('2026-06-02T00:00:00.000Z'))).toEqual(['__proto__', 'constructor']);
    const copy = JSON.parse(JSON.stringify(c)) as typeof c;
    expect(cellAt(copy, '__proto__', t('2026-06-02T00:00:00.000Z'))).toBe('a-01');
    expect(cellAt(copy, 'toString', t('2026-06-02T00:00:00.000Z'))).toBeNull();
  });
});
