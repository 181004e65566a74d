import { describe, expect, it } from 'vitest';
import type { SensorEvent } from '@wachtpost/contracts';
import { gsm, harness, heartbeat, roster, search } from '../testing/fixtures';

// search() ends 10 minutes before it is reported: this search ended at 10:00Z.
const REPORTED = '2026-06-01T10:10:00.000Z';
const ENDED = Date.parse('2026-06-01T10:00:00.000Z');
const h = (hours: number) => new Date(ENDED + hours * 3_600_000).toISOString();

function missed(events: SensorEvent[]) {
  const run = harness();
  run.run(
    events.sort((x, y) => x.observedAt.localeCompare(y.observedAt)),
    { heartbeatEveryMin: 60 },
  );
  return run;
}

describe('search-missed', () => {
  it.each([
    { name: 'GSM 5 h after a search that found nothing', found: [], gsmAt: 5, fires: true },
    { name: 'GSM at exactly 48 h', found: [], gsmAt: 48, fires: true },
    { name: 'GSM 48 h and 1 min after', found: [], gsmAt: 48 + 1 / 60, fires: false },
    { name: 'GSM before the search ended', found: [], gsmAt: -0.5, fires: false },
    {
      name: 'the search found a phone',
      found: [{ category: 'phone' as const, cellId: 'a-01' }],
      gsmAt: 5,
      fires: false,
    },
    {
      name: 'the search found a SIM',
      found: [{ category: 'sim' as const, cellId: 'a-01' }],
      gsmAt: 5,
      fires: false,
    },
    {
      name: 'the search found only drugs',
      found: [{ category: 'drugs' as const, cellId: 'a-01' }],
      gsmAt: 5,
      fires: true,
    },
    {
      name: 'the phone was found in another searched cell',
      found: [{ category: 'phone' as const, cellId: 'a-02' }],
      gsmAt: 5,
      fires: true,
    },
  ])('$name -> fires=$fires', ({ found, gsmAt, fires }) => {
    const run = missed([search('s1', REPORTED, ['a-01', 'a-02'], found), gsm('g1', h(gsmAt), 'a-01')]);
    expect(run.alerts('search-missed')).toHaveLength(fires ? 1 : 0);
  });

  it('GSM between the end of the search and its report is found by looking back', () => {
    const run = missed([gsm('g1', h(0.05), 'a-01'), search('s1', REPORTED, ['a-01'])]);
    expect(run.alerts('search-missed')[0]).toMatchObject({
      alertId: 'pi-test:search-missed:a-01',
      severity: 'high',
      cellIds: ['a-01'],
      wingId: 'a',
      evidence: ['s1', 'g1'],
    });
  });

  it('names the occupants at the time of the activity; allowlisted phones do not count', () => {
    const run = missed([
      roster('r1', '2026-05-30T08:00:00.000Z', 'D-9', 'admit', 'a-01'),
      search('s1', REPORTED, ['a-01']),
      gsm('g0', h(1), 'a-01', { deviceKey: 'svc-1' }),
      gsm('g1', h(2), 'a-01'),
      gsm('g2', h(3), 'a-01'),
    ]);
    const alerts = run.alerts('search-missed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ detaineeIds: ['D-9'], count: 3, evidence: ['s1', 'g1', 'g2'] });
  });

  it('a sensor silent mid-window holds the window open: its burst, reported 90 minutes behind, still counts', () => {
    const run = harness();
    const others = ['gsm-b', 'gsm-e', 'radar-1', 'rf-1', 'search-gw', 'roster-gw'];
    const beats = (at: string, sensors: string[]) =>
      sensors.map((s) => heartbeat(`hb-${s}-${Date.parse(at)}`, at, s));
    run.run(
      [
        ...beats('2026-06-01T10:00:00.000Z', [...others, 'gsm-a']),
        search('s1', REPORTED, ['a-01']),
        ...beats('2026-06-01T11:00:00.000Z', others),
        ...beats('2026-06-01T12:00:00.000Z', others),
      ],
      { heartbeatEveryMin: 0 },
    );
    expect(run.engine.lanes(run.state)[0]).toMatchObject({
      watermark: '2026-06-01T09:58:00.000Z',
      offlineSensors: [],
    });
    // gsm-a's gateway catches up: the 10:30 burst arrives after everyone else reached 12:00.
    const burst = run.engine.step(run.state, gsm('g1', h(0.5), 'a-01'));
    expect(burst.disposition).toBe('processed');
    run.run(beats('2026-06-01T12:00:00.000Z', ['gsm-a']), { heartbeatEveryMin: 0 });
    expect(run.alerts('search-missed')[0]).toMatchObject({ evidence: ['s1', 'g1'] });
  });

  it('a second search that finds the phone resolves it as confirmed: nothing is left to do', () => {
    const run = missed([
      search('s1', REPORTED, ['a-01']),
      gsm('g1', h(5), 'a-01'),
      gsm('g2', h(7), 'a-01'),
      search('s2', h(20), ['a-01'], [{ category: 'phone', cellId: 'a-01' }]),
    ]);
    const resolved = run.changesOf('search-missed').find((c) => c.change === 'resolved');
    expect(resolved).toMatchObject({
      alert: { alertId: 'pi-test:search-missed:a-01', status: 'resolved' },
      outcome: { result: 'confirmed', searchId: 'srch-s2', cellId: 'a-01' },
    });
  });
});
