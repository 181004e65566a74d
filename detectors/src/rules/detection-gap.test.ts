import { describe, expect, it } from 'vitest';
import type { SensorEvent } from '@wachtpost/contracts';
import { gsm, harness, heartbeat, search } from '../testing/fixtures';

const SEARCH_AT = '2026-07-01T10:10:00.000Z';
/** The search in `search()` starts 30 minutes before it is reported. */
const STARTED = Date.parse('2026-07-01T09:40:00.000Z');
const daysBefore = (d: number) => new Date(STARTED - d * 86_400_000).toISOString();

function gap(events: SensorEvent[]) {
  const run = harness();
  // Start the lane's history well before the 30-day look-back, so it is not "short".
  run.run(
    [heartbeat('hb0', '2026-05-01T00:00:00.000Z', 'gsm-a'), ...events].sort((x, y) =>
      x.observedAt.localeCompare(y.observedAt),
    ),
    { heartbeatEveryMin: 120 },
  );
  return run;
}

describe('detection-gap', () => {
  it.each([
    { name: 'no GSM activity ever', prior: null, fires: true },
    { name: 'last activity 31 days before', prior: 31, fires: true },
    { name: 'last activity exactly 30 days before', prior: 30, fires: false },
    { name: 'activity 2 days before', prior: 2, fires: false },
  ])('phone found, $name -> fires=$fires', ({ prior, fires }) => {
    const events: SensorEvent[] = [
      search('s1', SEARCH_AT, ['a-01'], [{ category: 'phone', cellId: 'a-01' }]),
    ];
    if (prior !== null) events.push(gsm('g0', daysBefore(prior), 'a-01'));
    const alerts = gap(events).alerts('detection-gap');
    expect(alerts).toHaveLength(fires ? 1 : 0);
    if (fires) {
      expect(alerts[0]).toMatchObject({
        severity: 'low',
        cellIds: ['a-01'],
        sensorIds: ['gsm-a'],
        evidence: ['s1'],
      });
      expect(alerts[0]!.summary).not.toContain('History is shorter');
    }
  });

  it('a SIM alone, or activity during the search, does not make a gap', () => {
    expect(
      gap([search('s1', SEARCH_AT, ['a-01'], [{ category: 'sim', cellId: 'a-01' }])]).alerts('detection-gap'),
    ).toHaveLength(0);
    // Activity after the search started is not "before" it: still a gap.
    const during = gap([
      gsm('g1', '2026-07-01T09:50:00.000Z', 'a-01'),
      search('s1', SEARCH_AT, ['a-01'], [{ category: 'phone', cellId: 'a-01' }]),
    ]);
    expect(during.alerts('detection-gap')).toHaveLength(1);
  });

  it('says when the lane has less history than the look-back', () => {
    const run = harness();
    run.run([search('s1', SEARCH_AT, ['a-01'], [{ category: 'phone', cellId: 'a-01' }])]);
    expect(run.alerts('detection-gap')[0]!.summary).toContain('History is shorter than the look-back.');
  });
});
