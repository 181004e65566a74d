import { describe, expect, it } from 'vitest';
import { gsm, harness, roster } from '../testing/fixtures';

/** GSM bursts in cell a-01 at the given UTC instants. */
const bursts = (times: string[], zone = 'a-01') => times.map((t, i) => gsm(`g${i}`, t, zone));

function persistent(times: string[], zone = 'a-01') {
  const h = harness();
  h.run(bursts(times, zone), { heartbeatEveryMin: 60 });
  return h;
}

// June: CEST (UTC+2), nights 20:00Z-04:00Z. November: CET (UTC+1), nights 21:00Z-05:00Z.
describe('persistent-phone', () => {
  it.each([
    {
      name: '3 distinct nights',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T23:30:00.000Z', '2026-06-04T01:00:00.000Z'],
      fires: true,
    },
    {
      name: '3 bursts in one night',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-01T23:00:00.000Z', '2026-06-02T03:00:00.000Z'],
      fires: false,
    },
    { name: '2 nights', times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z'], fires: false },
    {
      name: 'nights 1, 2 and 7: within 7 days',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-07T21:00:00.000Z'],
      fires: true,
    },
    {
      name: 'nights 1, 2 and 8: the first has left the window',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-08T21:00:00.000Z'],
      fires: false,
    },
    {
      name: 'daytime bursts do not count',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-03T10:00:00.000Z'],
      fires: false,
    },
    {
      name: 'night starts at 22:00:00 local',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-03T20:00:00.000Z'],
      fires: true,
    },
    {
      name: '21:59:59 local is still evening',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-03T19:59:59.000Z'],
      fires: false,
    },
    {
      name: '05:59:59 local is still night',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-04T03:59:59.000Z'],
      fires: true,
    },
    {
      name: '06:00 local is morning',
      times: ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-04T04:00:00.000Z'],
      fires: false,
    },
  ])('$name -> fires=$fires', ({ times, fires }) => {
    expect(persistent(times).alerts('persistent-phone')).toHaveLength(fires ? 1 : 0);
  });

  it.each([
    // Autumn: on 2026-10-25 clocks go back at 03:00 CEST; the night of the 24th ends 06:00 CET = 05:00Z.
    {
      name: '2026-10-25 04:30Z is 05:30 CET: still the night of the 24th',
      last: '2026-10-25T04:30:00.000Z',
      fires: true,
    },
    { name: '2026-10-25 05:00Z is 06:00 CET: morning', last: '2026-10-25T05:00:00.000Z', fires: false },
    {
      name: '2026-10-25 00:30Z is 02:30 CEST, before the change',
      last: '2026-10-25T00:30:00.000Z',
      fires: true,
    },
    {
      name: '2026-10-25 01:30Z is 02:30 CET, the repeated hour',
      last: '2026-10-25T01:30:00.000Z',
      fires: true,
    },
  ])('DST autumn night: $name -> fires=$fires', ({ last, fires }) => {
    const h = persistent(['2026-10-22T21:00:00.000Z', '2026-10-23T21:00:00.000Z', last]);
    expect(h.alerts('persistent-phone')).toHaveLength(fires ? 1 : 0);
  });

  it.each([
    // Spring: on 2026-03-29 clocks go forward at 02:00 CET; the night ends 06:00 CEST = 04:00Z.
    { name: '2026-03-29 03:30Z is 05:30 CEST: night', last: '2026-03-29T03:30:00.000Z', fires: true },
    { name: '2026-03-29 04:30Z is 06:30 CEST: morning', last: '2026-03-29T04:30:00.000Z', fires: false },
  ])('DST spring night: $name -> fires=$fires', ({ last, fires }) => {
    const h = persistent(['2026-03-26T22:00:00.000Z', '2026-03-27T22:00:00.000Z', last]);
    expect(h.alerts('persistent-phone')).toHaveLength(fires ? 1 : 0);
  });

  it('the same UTC hour is night in winter and morning in summer', () => {
    const winter = persistent([
      '2026-11-10T22:00:00.000Z',
      '2026-11-11T22:00:00.000Z',
      '2026-11-13T04:30:00.000Z',
    ]);
    const summer = persistent([
      '2026-06-10T22:00:00.000Z',
      '2026-06-11T22:00:00.000Z',
      '2026-06-13T04:30:00.000Z',
    ]);
    expect(winter.alerts('persistent-phone')).toHaveLength(1);
    expect(summer.alerts('persistent-phone')).toHaveLength(0);
  });

  it('escalates to critical at 5 nights, keeping the previous severity in the change', () => {
    const h = persistent([1, 2, 3, 4, 5].map((d) => `2026-06-0${d}T21:00:00.000Z`));
    const changes = h.changesOf('persistent-phone');
    expect(changes.map((c) => [c.change, c.alert.severity])).toEqual([
      ['opened', 'high'],
      ['updated', 'high'],
      ['escalated', 'critical'],
    ]);
    expect(changes[2]).toMatchObject({ previousSeverity: 'high', alert: { rev: 3, count: 5 } });
    expect(h.alerts('persistent-phone')[0]!.summary).toContain('5 distinct nights');
  });

  it('ignores corridors and allowlisted devices', () => {
    expect(
      persistent(
        ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-03T21:00:00.000Z'],
        'a-corridor',
      ).alerts(),
    ).toHaveLength(0);
    const h = harness();
    h.run(
      ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-03T21:00:00.000Z'].map((t, i) =>
        gsm(`g${i}`, t, 'a-01', { deviceKey: 'svc-1' }),
      ),
      { heartbeatEveryMin: 60 },
    );
    expect(h.alerts()).toHaveLength(0);
  });

  it('names the detainees who were in the cell at each night, through a move', () => {
    const h = harness();
    h.run(
      [
        roster('r1', '2026-06-01T08:00:00.000Z', 'D-1', 'admit', 'a-01'),
        gsm('g1', '2026-06-01T21:00:00.000Z', 'a-01'),
        roster('r2', '2026-06-02T08:00:00.000Z', 'D-1', 'move', 'a-03'),
        roster('r3', '2026-06-02T09:00:00.000Z', 'D-2', 'admit', 'a-01'),
        gsm('g2', '2026-06-02T21:00:00.000Z', 'a-01'),
        gsm('g3', '2026-06-03T21:00:00.000Z', 'a-01'),
      ],
      { heartbeatEveryMin: 60 },
    );
    expect(h.alerts('persistent-phone')[0]).toMatchObject({
      detaineeIds: ['D-1', 'D-2'],
      wingId: 'a',
      cellIds: ['a-01'],
    });
  });

  it('a late roster correction re-correlates the open alert', () => {
    const h = harness();
    h.run(
      [
        roster('r1', '2026-06-01T08:00:00.000Z', 'D-1', 'admit', 'a-01'),
        gsm('g1', '2026-06-01T21:00:00.000Z', 'a-01'),
        gsm('g2', '2026-06-02T21:00:00.000Z', 'a-01'),
        gsm('g3', '2026-06-03T21:00:00.000Z', 'a-01'),
      ],
      { heartbeatEveryMin: 60 },
    );
    expect(h.alerts('persistent-phone')[0]!.detaineeIds).toEqual(['D-1']);
    // Recorded on the 5th: D-1 had in fact moved to a-02 on the 1st at noon, and D-3 was in a-01.
    h.run(
      [
        roster('r2', '2026-06-05T09:00:00.000Z', 'D-1', 'move', 'a-02', '2026-06-01T12:00:00.000Z'),
        roster('r3', '2026-06-05T09:01:00.000Z', 'D-3', 'admit', 'a-01', '2026-06-01T12:00:00.000Z'),
      ],
      { heartbeatEveryMin: 60 },
    );
    const recorrelated = h.changesOf('persistent-phone').filter((c) => c.change === 'recorrelated');
    expect(recorrelated.map((c) => c.alert.detaineeIds)).toEqual([[], ['D-3']]);
  });
});
