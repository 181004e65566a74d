import { describe, expect, test } from 'vitest';
import { allowedActions, outcomeChoices } from './action-rules';
import { droneTracks, eventFields } from './evidence-fields';
import { alertHref, matchRoute } from './router';
import { scrollToReveal, visibleWindow } from './windowing';

describe('routes', () => {
  test('match the contract paths and round-trip alert ids', () => {
    expect(matchRoute('/')).toEqual({ page: 'board' });
    expect(matchRoute('/login')).toEqual({ page: 'login' });
    expect(matchRoute('/wings')).toEqual({ page: 'wings' });
    const id = 'demo:a/7 x';
    expect(matchRoute(alertHref(id))).toEqual({ page: 'alert', alertId: id });
    expect(matchRoute('/alerts/%E0%A4%A')).toEqual({ page: 'not-found' });
    expect(matchRoute('/nope')).toEqual({ page: 'not-found' });
  });
});

describe('windowing', () => {
  test('renders the visible rows and the overscan only', () => {
    expect(visibleWindow(10_000, 50, 0, 500, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleWindow(10_000, 50, 50_000, 500, 5)).toEqual({ start: 995, end: 1016 });
    expect(visibleWindow(10, 50, 10_000, 500, 5)).toEqual({ start: 4, end: 10 });
    expect(visibleWindow(0, 50, 0, 500, 5)).toEqual({ start: 0, end: 0 });
  });
  test('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(3, 50, 0, 500)).toBe(0);
    expect(scrollToReveal(10, 50, 0, 500)).toBe(50);
    expect(scrollToReveal(2, 50, 400, 500)).toBe(100);
  });
});

describe('actions by role and status', () => {
  test('operators and admins act within the status; analysts and testers never', () => {
    expect([...allowedActions('operator', 'open')].sort()).toEqual([
      'acknowledge',
      'assign',
      'note',
      'resolve',
      'silence',
    ]);
    expect([...allowedActions('admin', 'acknowledged')].sort()).toEqual([
      'assign',
      'note',
      'resolve',
      'silence',
    ]);
    expect([...allowedActions('operator', 'resolved')].sort()).toEqual(['note', 'silence']);
    expect(allowedActions('analyst', 'open').size).toBe(0);
    expect(allowedActions('tester', 'open').size).toBe(0);
  });
});

describe('evidence', () => {
  test('fields are flattened beside the envelope; tracks keep time order', () => {
    const base = {
      v: 1 as const,
      siteId: 'demo',
      sensorId: 'r1',
      exercise: false,
      kind: 'drone' as const,
      trackId: 't',
      phase: 'update' as const,
      detection: 'rf' as const,
      category: 'drone' as const,
    };
    const late = {
      ...base,
      eventId: 'b',
      observedAt: '2026-03-01T02:00:05.000Z',
      position: { lat: 2, lon: 2 },
    };
    const early = {
      ...base,
      eventId: 'a',
      observedAt: '2026-03-01T02:00:00.000Z',
      position: { lat: 1, lon: 1 },
      classification: { confidence: 0.9 },
    };
    expect(eventFields(early)).toEqual([
      ['trackId', 't'],
      ['phase', 'update'],
      ['detection', 'rf'],
      ['category', 'drone'],
      ['position.lat', '1'],
      ['position.lon', '1'],
      ['classification.confidence', '0.9'],
    ]);
    expect(droneTracks([late, early])).toEqual([
      {
        trackId: 't',
        sensorId: 'r1',
        points: [
          [1, 1],
          [2, 2],
        ],
      },
    ]);
  });
});

describe('resolve outcomes', () => {
  test('are worded for the rule, with the same values; a sensor alert offers no search', () => {
    const labelOf = (rule: string) => outcomeChoices(rule).find((o) => o.value === 'confirmed')?.label;
    expect(labelOf('contraband-delivery')).toBe('Confirmed (contraband found)');
    expect(labelOf('sensor-offline')).toBe('Confirmed (sensor fault or blind spot)');
    expect(labelOf('drone-drop')).toBe('Confirmed (drone or drop seen)');
    expect(outcomeChoices('sensor-offline').map((o) => o.value)).not.toContain('search-ordered');
    expect(outcomeChoices('persistent-phone').map((o) => o.value)).toEqual([
      'confirmed',
      'false-positive',
      'duplicate',
      'search-ordered',
    ]);
  });
});
