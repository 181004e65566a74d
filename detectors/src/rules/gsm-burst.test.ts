import { describe, expect, it } from 'vitest';
import type { SensorEvent } from '@wachtpost/contracts';
import { gsm, harness } from '../testing/fixtures';

/** `n` bursts in b-01 from `startUtc`, one every 3 minutes. */
function bursts(
  prefix: string,
  startUtc: string,
  n: number,
  more: { deviceKey?: string } = {},
): SensorEvent[] {
  const t0 = Date.parse(startUtc);
  return Array.from({ length: n }, (_, i) =>
    gsm(`${prefix}-${i}`, new Date(t0 + i * 180_000).toISOString(), 'b-01', more),
  );
}

/** The same local hour (14:00 Amsterdam) on each day of June before the 20th, `perDay(day)` bursts. */
function juneHistory(perDay: (day: number) => number): SensorEvent[] {
  const out: SensorEvent[] = [];
  for (let day = 6; day <= 19; day++) {
    out.push(...bursts(`h${day}`, `2026-06-${String(day).padStart(2, '0')}T12:00:00.000Z`, perDay(day)));
  }
  return out;
}

function run(events: SensorEvent[]) {
  const h = harness();
  h.run(events, { heartbeatEveryMin: 60 });
  return h;
}

/**
 * Builds the history first (its early days, without a baseline, raise alerts of their own), resolves what
 * it raised as an operator would, then feeds the hour under test: its alerts are the ones still open.
 */
function runAfterHistory(history: SensorEvent[], today: SensorEvent[]) {
  const h = run(history);
  for (const alert of h.alerts()) {
    h.engine.command(h.state, { action: 'resolve', alertId: alert.alertId, at: alert.lastEventAt });
  }
  h.run(today, { heartbeatEveryMin: 60 });
  return { h, raised: h.alerts('gsm-burst').filter((a) => a.status === 'open') };
}

describe('gsm-burst', () => {
  it.each([
    { name: 'no history: 5 bursts in an hour', history: [], today: 5, fires: true },
    { name: 'no history: 4 bursts', history: [], today: 4, fires: false },
    {
      name: 'steady 3 a day: 5 exceed mean + 4 sd = 3',
      history: juneHistory(() => 3),
      today: 5,
      fires: true,
    },
    {
      name: 'steady 3 a day: 4 are below the minimum of 5',
      history: juneHistory(() => 3),
      today: 4,
      fires: false,
    },
    {
      name: 'alternating 2 and 10: 22 do not exceed 6 + 4 x 4',
      history: juneHistory((d) => (d % 2 ? 2 : 10)),
      today: 22,
      fires: false,
    },
    {
      name: 'alternating 2 and 10: 23 exceed it',
      history: juneHistory((d) => (d % 2 ? 2 : 10)),
      today: 23,
      fires: true,
    },
  ])('$name -> fires=$fires', ({ history, today, fires }) => {
    // Everything within 14:00-14:59 local: 23 bursts need a tighter spacing.
    const t0 = Date.parse('2026-06-20T12:00:00.000Z');
    const step = today > 20 ? 150_000 : 180_000;
    const todayBursts = Array.from({ length: today }, (_, i) =>
      gsm(`t-${i}`, new Date(t0 + i * step).toISOString(), 'b-01'),
    );
    const { raised } = runAfterHistory(history, todayBursts);
    expect(raised).toHaveLength(fires ? 1 : 0);
    if (fires) expect(raised[0]).toMatchObject({ severity: 'medium', wingId: 'b', count: today });
  });

  it('fires as soon as the hour crosses the threshold', () => {
    const h = run(bursts('t', '2026-06-20T12:00:00.000Z', 7));
    const opened = h.changesOf('gsm-burst')[0]!;
    expect(opened.alert).toMatchObject({ openedAt: '2026-06-20T12:12:00.000Z', count: 5 });
  });

  it('compares the same local hour across the DST change, not the same UTC hour', () => {
    const history: SensorEvent[] = [];
    // 14:00 local each day from 12 to 25 October: 12:00Z in CEST, 13:00Z from the 25th (CET).
    for (let day = 12; day <= 25; day++) {
      history.push(...bursts(`h${day}`, `2026-10-${day}T${day < 25 ? '12' : '13'}:00:00.000Z`, 10));
    }
    expect(runAfterHistory(history, bursts('t', '2026-10-26T13:00:00.000Z', 10)).raised).toHaveLength(0);
    expect(runAfterHistory(history, bursts('t', '2026-10-26T13:00:00.000Z', 11)).raised).toHaveLength(1);
  });

  it('allowlisted devices are not bursts', () => {
    expect(run(bursts('t', '2026-06-20T12:00:00.000Z', 8, { deviceKey: 'svc-1' })).alerts()).toHaveLength(0);
  });

  describe('the night the clocks go back (2026-10-25, Amsterdam): 02:00-02:59 local happens twice', () => {
    // 10 bursts at 02:00 local every night: 00:00Z in CEST; on the 25th at 00:00Z and again at 01:00Z (CET).
    const nights = (from: number, to: number) => {
      const out: SensorEvent[] = [];
      for (let day = from; day <= to; day++)
        out.push(...bursts(`h${day}`, `2026-10-${day}T00:00:00.000Z`, 10));
      return out;
    };
    const secondTwoOClock = bursts('h25b', '2026-10-25T01:00:00.000Z', 10);

    it('an ordinary night with its hour lived twice raises nothing', () => {
      expect(runAfterHistory(nights(11, 24), [...nights(25, 25), ...secondTwoOClock]).raised).toHaveLength(0);
    });

    it('and leaves the baseline of the nights after it as it was', () => {
      const history = [...nights(11, 25), ...secondTwoOClock];
      expect(runAfterHistory(history, bursts('t', '2026-10-26T01:00:00.000Z', 11)).raised).toHaveLength(1);
    });
  });
});
