import type { SensorEvent } from '@wachtpost/contracts';

const shift = (iso: string, deltaMs: number) => new Date(Date.parse(iso) + deltaMs).toISOString();

/**
 * Moves an event in time by `deltaMs`: observedAt and the instants inside it (search times, roster effective
 * time) together, so the event stays internally consistent. Used by `load` (stamp at send time) and
 * `replay --restamp`.
 */
export function shiftEvent(event: SensorEvent, deltaMs: number): SensorEvent {
  const observedAt = shift(event.observedAt, deltaMs);
  switch (event.kind) {
    case 'search':
      return {
        ...event,
        observedAt,
        startedAt: shift(event.startedAt, deltaMs),
        endedAt: shift(event.endedAt, deltaMs),
      };
    case 'roster':
      return { ...event, observedAt, effectiveAt: shift(event.effectiveAt, deltaMs) };
    default:
      return { ...event, observedAt };
  }
}
