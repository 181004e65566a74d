import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_DEFAULTS,
  acknowledgeRecord,
  currentRecord,
  emptyBook,
  flushAll,
  pruneBook,
  raise,
  resolveRecord,
  type AlertChange,
  type AlertDraft,
  type BookContext,
} from './alert-book';
import { mergeEvidence, type Evidence } from './evidence';

function book(): BookContext & { out: AlertChange[] } {
  return {
    book: emptyBook(),
    siteId: 'pi-test',
    exercise: false,
    lifecycle: LIFECYCLE_DEFAULTS,
    detaineesIn: (cell) => (cell === 'a-01' ? ['D1'] : []),
    out: [],
  };
}

const draft = (at: number, id: string, more: Partial<AlertDraft> = {}): AlertDraft => ({
  rule: 'persistent-phone',
  key: 'a-01',
  at,
  severity: 'high',
  title: 'Phone in cell a-01 at night',
  summary: `burst ${id}`,
  cellIds: ['a-01'],
  custody: [['a-01', at]],
  evidence: [[at, id]],
  ...more,
});

describe('alert lifecycle', () => {
  it('opens once per rule and key; repeats update count, evidence and last time, coalesced per 10 s', () => {
    const bc = book();
    raise(bc, draft(0, 'e1'));
    raise(bc, draft(1_000, 'e2'));
    raise(bc, draft(2_000, 'e3'));
    raise(bc, draft(2_000, 'e3'));
    expect(bc.out.map((c) => [c.change, c.alert.rev, c.alert.count])).toEqual([['opened', 1, 1]]);
    raise(bc, draft(12_000, 'e4'));
    expect(bc.out.map((c) => [c.change, c.alert.rev, c.alert.count])).toEqual([
      ['opened', 1, 1],
      ['updated', 2, 4],
    ]);
    expect(bc.out[1]!.alert).toMatchObject({
      alertId: 'pi-test:persistent-phone:a-01',
      evidence: ['e1', 'e2', 'e3', 'e4'],
      lastEventAt: '1970-01-01T00:00:12.000Z',
      detaineeIds: ['D1'],
    });
  });

  it('escalation publishes at once, keeps the previous severity and reopens an acknowledged alert', () => {
    const bc = book();
    raise(bc, draft(0, 'e1'));
    acknowledgeRecord(bc, currentRecord(bc, 'persistent-phone', 'a-01')!, 1_000);
    raise(bc, draft(2_000, 'e2', { severity: 'critical' }));
    expect(bc.out.at(-1)).toMatchObject({
      change: 'escalated',
      previousSeverity: 'high',
      alert: { severity: 'critical', status: 'open', rev: 3 },
    });
    raise(bc, draft(60_000, 'e3', { severity: 'high' }));
    expect(bc.out.at(-1)!.alert.severity).toBe('critical');
  });

  it('after a resolve: repeats within the cool-down join the resolved alert, later ones open occurrence 2', () => {
    const bc = book();
    raise(bc, draft(0, 'e1'));
    resolveRecord(bc, currentRecord(bc, 'persistent-phone', 'a-01')!, 60_000, { result: 'operator' });
    raise(bc, draft(60_000 + 14 * 60_000, 'e2'));
    flushAll(bc);
    expect(bc.out.at(-1)!.alert).toMatchObject({
      alertId: 'pi-test:persistent-phone:a-01',
      status: 'resolved',
      count: 2,
    });
    raise(bc, draft(60_000 + 16 * 60_000, 'e3'));
    expect(bc.out.at(-1)).toMatchObject({
      change: 'opened',
      alert: { alertId: 'pi-test:persistent-phone:a-01#2', count: 1 },
    });
  });

  it('occurrence numbers survive pruning, so an id is never reused', () => {
    const bc = book();
    raise(bc, draft(0, 'e1'));
    resolveRecord(bc, currentRecord(bc, 'persistent-phone', 'a-01')!, 1_000, { result: 'operator' });
    pruneBook(bc, 10 * 3_600_000);
    expect(Object.keys(bc.book.records)).toEqual([]);
    raise(bc, draft(11 * 3_600_000, 'e2'));
    expect(bc.out.at(-1)!.alert.alertId).toBe('pi-test:persistent-phone:a-01#2');
  });

  it('keeps the first and the latest evidence beyond the cap, with the full count', () => {
    const list: Evidence[] = [];
    for (let i = 0; i < 80; i++) mergeEvidence(list, [[i, `e${i}`]], 50);
    expect(list).toHaveLength(50);
    expect(list.slice(0, 10).map((e) => e[1])).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
    expect(list.at(-1)![1]).toBe('e79');
    expect(mergeEvidence(list, [[79, 'e79']], 50)).toBe(0);
  });
});
