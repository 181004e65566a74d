import { afterEach, describe, expect, test, vi } from 'vitest';
import { AlertStore, applyEntry, isNewCritical } from './alert-store';
import { entry } from './test-support';
import type { AlertEntry } from './types';

const rev = (e: AlertEntry, r: number, patch: Partial<AlertEntry['alert']> = {}): AlertEntry => ({
  alert: { ...e.alert, rev: r, ...patch },
  console: e.console,
});

afterEach(() => vi.useRealTimers());

describe('alert store', () => {
  test('keeps the highest rev whatever the order of arrival', () => {
    const e = entry();
    const orders = [
      [1, 2, 3],
      [3, 1, 2],
      [2, 3, 1],
    ];
    for (const order of orders) {
      const map = new Map<string, AlertEntry>();
      for (const r of order) applyEntry(map, rev(e, r));
      expect(map.get(e.alert.alertId)?.alert.rev).toBe(3);
    }
  });

  test('reports added, updated and stale', () => {
    const map = new Map<string, AlertEntry>();
    const e = entry();
    expect(applyEntry(map, e)).toBe('added');
    expect(applyEntry(map, rev(e, 2))).toBe('updated');
    expect(applyEntry(map, rev(e, 2))).toBe('stale');
    expect(applyEntry(map, rev(e, 1))).toBe('stale');
    expect(applyEntry(map, { ...rev(e, 2), console: { silenced: true } })).toBe('updated');
  });

  test('new critical: rev 1 open critical, or raised to critical; not a later rev of an unknown alert', () => {
    const crit = entry({ severity: 'critical' });
    expect(isNewCritical(undefined, crit)).toBe(true);
    expect(isNewCritical(undefined, rev(crit, 3))).toBe(false);
    expect(isNewCritical(undefined, rev(crit, 1, { status: 'acknowledged' }))).toBe(false);
    expect(isNewCritical(rev(crit, 1, { severity: 'high' }), rev(crit, 2))).toBe(true);
    expect(isNewCritical(crit, rev(crit, 2))).toBe(false);
  });

  test('listeners hear once per burst; fresh criticals clear when seen or handled', () => {
    vi.useFakeTimers();
    const store = new AlertStore(50);
    const heard = vi.fn();
    store.subscribe(heard);
    const crit = entry({ severity: 'critical' });
    expect(store.push(crit).newCritical).toBe(true);
    store.push(entry());
    store.load([entry(), entry()]);
    expect(heard).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(store.getVersion()).toBe(1);
    expect(store.fresh.has(crit.alert.alertId)).toBe(true);
    store.push(rev(crit, 2, { status: 'acknowledged' }));
    expect(store.fresh.has(crit.alert.alertId)).toBe(false);
    const other = entry({ severity: 'critical' });
    store.push(other);
    store.seen(other.alert.alertId);
    expect(store.fresh.size).toBe(0);
  });
});
