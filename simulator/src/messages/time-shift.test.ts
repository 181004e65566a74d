import { describe, expect, it } from 'vitest';
import { generateEvents } from '../generator/generate';
import { demoSite, T0, verdictOf } from '../test-fixtures';
import { shiftEvent } from './time-shift';

describe('shiftEvent', () => {
  it('moves observedAt and the instants inside an event together, keeping it valid', () => {
    const events = [...generateEvents({ site: demoSite(), seed: 2, from: T0, to: T0 + 3 * 86_400_000 })];
    const search = events.find((e) => e.kind === 'search')!;
    const roster = events.find((e) => e.kind === 'roster')!;
    const delta = 5 * 86_400_000 + 123;
    const moved = shiftEvent(search, delta);
    expect(Date.parse(moved.observedAt) - Date.parse(search.observedAt)).toBe(delta);
    if (moved.kind !== 'search' || search.kind !== 'search') throw new Error('not a search');
    expect(Date.parse(moved.startedAt) - Date.parse(search.startedAt)).toBe(delta);
    expect(Date.parse(moved.endedAt) - Date.parse(search.endedAt)).toBe(delta);
    const movedRoster = shiftEvent(roster, -delta);
    if (movedRoster.kind !== 'roster' || roster.kind !== 'roster') throw new Error('not a roster event');
    expect(Date.parse(movedRoster.effectiveAt) - Date.parse(roster.effectiveAt)).toBe(-delta);
    expect(verdictOf(moved).ok).toBe(true);
    expect(verdictOf(movedRoster).ok).toBe(true);
  });
});
