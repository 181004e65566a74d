import { describe, expect, test } from 'vitest';
import {
  compareAlerts,
  countBySeverity,
  filterChoices,
  matches,
  NO_FILTERS,
  visibleAlerts,
  wingLabel,
} from './board-logic';
import { entry, SITE } from './test-support';

describe('board logic', () => {
  test('orders by status, severity, newest activity, then id', () => {
    const list = [
      entry({ alertId: 'r', status: 'resolved', severity: 'critical' }),
      entry({ alertId: 'a', status: 'acknowledged', severity: 'critical' }),
      entry({ alertId: 'o-info', severity: 'info' }),
      entry({ alertId: 'o-crit-1', severity: 'critical', lastEventAt: '2026-03-01T01:00:00+01:00' }),
      entry({ alertId: 'o-crit-2', severity: 'critical', lastEventAt: '2026-03-01T00:30:00.000Z' }),
      entry({ alertId: 'o-crit-3', severity: 'critical', lastEventAt: '2026-03-01T00:30:00.000Z' }),
    ];
    // 01:00+01:00 is 00:00Z: older than 00:30Z despite the larger wall-clock figure.
    expect(list.sort(compareAlerts).map((e) => e.alert.alertId)).toEqual([
      'o-crit-3',
      'o-crit-2',
      'o-crit-1',
      'o-info',
      'a',
      'r',
    ]);
  });

  test('filters match on each field; an empty value matches all; no wing is "site", shown under every wing', () => {
    const e = entry({ siteId: 'demo', wingId: undefined, rule: 'r1', severity: 'high', status: 'open' });
    expect(matches(e, NO_FILTERS)).toBe(true);
    expect(matches(e, { ...NO_FILTERS, wingId: 'site' })).toBe(true);
    expect(matches(e, { ...NO_FILTERS, wingId: 'a' })).toBe(true);
    const inB = entry({ siteId: 'demo', wingId: 'b', rule: 'r1', severity: 'high', status: 'open' });
    expect(matches(inB, { ...NO_FILTERS, wingId: 'b' })).toBe(true);
    expect(matches(inB, { ...NO_FILTERS, wingId: 'a' })).toBe(false);
    expect(matches(inB, { ...NO_FILTERS, wingId: 'site' })).toBe(false);
    expect(matches(e, { ...NO_FILTERS, siteId: 'other' })).toBe(false);
    expect(matches(e, { ...NO_FILTERS, rule: 'r2' })).toBe(false);
    expect(matches(e, { ...NO_FILTERS, severity: 'low' })).toBe(false);
    expect(matches(e, { ...NO_FILTERS, status: 'resolved' })).toBe(false);
    expect(visibleAlerts([e], { ...NO_FILTERS, severity: 'high', status: 'open' })).toEqual([e]);
  });

  test("a wing by the site model's name; its id when the model does not know it; none is site-wide", () => {
    const label = (patch: Parameters<typeof entry>[0]) => wingLabel(entry(patch).alert, [SITE]);
    expect(label({ wingId: 'b' })).toBe('Afdeling B');
    expect(label({ wingId: 'z' })).toBe('wing z');
    expect(label({ wingId: 'a', siteId: 'elsewhere' })).toBe('wing a');
    expect(label({ wingId: undefined })).toBe('site-wide');
  });

  test('counts open and acknowledged only', () => {
    const counts = countBySeverity([
      entry({ severity: 'critical' }),
      entry({ severity: 'critical', status: 'acknowledged' }),
      entry({ severity: 'critical', status: 'resolved' }),
      entry({ severity: 'low' }),
    ]);
    expect(counts).toEqual({ critical: 2, high: 0, medium: 0, low: 1, info: 0 });
  });

  test('choices come from site models and the alerts held', () => {
    const c = filterChoices([entry({ siteId: 'north', wingId: 'z', rule: 'gsm-burst' })], [SITE], '');
    expect(c.sites).toEqual([
      { value: 'demo', label: 'PI Demo' },
      { value: 'north', label: 'north' },
    ]);
    expect(c.wings.map((w) => w.value)).toEqual(['a', 'b', 'z']);
    expect(c.rules).toEqual([{ value: 'gsm-burst', label: 'gsm-burst' }]);
    expect(filterChoices([], [SITE], 'demo').wings).toEqual([
      { value: 'a', label: 'Afdeling A' },
      { value: 'b', label: 'Afdeling B' },
    ]);
  });
});
