import { describe, expect, it } from 'vitest';
import { restampBody } from './replay';

const encode = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));

describe('restampBody', () => {
  it('moves the instants and tags the eventId', () => {
    const { data, eventId } = restampBody(
      encode({
        eventId: 'E1',
        observedAt: '2026-03-01T00:00:00.000Z',
        startedAt: '2026-02-28T23:00:00+01:00',
      }),
      60_000,
      'rabc',
    );
    expect(eventId).toBe('rabc-E1');
    expect(JSON.parse(new TextDecoder().decode(data))).toEqual({
      eventId: 'rabc-E1',
      observedAt: '2026-03-01T00:01:00.000Z',
      startedAt: '2026-02-28T22:01:00.000Z',
    });
  });

  it('leaves recorded garbage untouched', () => {
    const garbage = Uint8Array.from([0x7b, 0xff]);
    expect(restampBody(garbage, 1, 't').data).toBe(garbage);
    const array = encode([1, 2]);
    expect(restampBody(array, 1, 't').data).toBe(array);
  });
});
