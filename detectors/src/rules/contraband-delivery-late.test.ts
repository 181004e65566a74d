import { describe, expect, it } from 'vitest';
import type { SensorEvent } from '@wachtpost/contracts';
import { MINUTE, toIso, toMs } from '../engine/time';
import { SPOTS, TEST_SITE, drone, gsm, harness, heartbeat } from '../testing/fixtures';

const T0 = Date.parse('2026-06-01T22:00:00.000Z');
const at = (minutes: number) => toIso(T0 + minutes * MINUTE);
const GATEWAY = 'gsm-a';
/** gsm-a beats every minute until then, so it is declared offline 3 minutes later (at 8). */
const SILENT_FROM = 5;

/** A drop over wing A: low enough for drone-drop. */
const drop = (from: number) => [
  drone('d1', at(from), 'T1', { ...SPOTS.overA, altM: 20 }),
  drone('d2', at(from + 1), 'T1', { ...SPOTS.overA, altM: 20 }),
];

function beats(from: number, to: number, backAt: number): SensorEvent[] {
  const out: SensorEvent[] = [];
  for (let m = from; m <= to; m++) {
    for (const { id } of TEST_SITE.sensors) {
      if (id === GATEWAY && m > SILENT_FROM && m < backAt) continue;
      out.push(heartbeat(`hb-${id}-${m}`, at(m), id, 'ok', id === GATEWAY ? { intervalS: 60 } : {}));
    }
  }
  return out;
}

const byTime = (events: SensorEvent[]) =>
  [...events].sort((a, b) => toMs(a.observedAt) - toMs(b.observedAt) || (a.eventId < b.eventId ? -1 : 1));

/**
 * Live traffic from `from` on, gsm-a silent from SILENT_FROM; at `backAt` it is back and forwards `backlog`
 * (what it buffered, all behind the watermark by then) in the given order, and everything beats again for
 * 15 minutes.
 */
function outage({
  from = -10,
  backAt = 45,
  live,
  backlog,
}: {
  from?: number;
  backAt?: number;
  live: SensorEvent[];
  backlog: SensorEvent[];
}) {
  const h = harness();
  h.run(byTime([...beats(from, backAt - 1, backAt), ...live]), { heartbeatEveryMin: 0, flush: false });
  // Step by step, for each one's disposition.
  const backlogChanges = backlog.map((ev) => h.engine.step(h.state, ev));
  h.changes.push(...backlogChanges.flatMap((r) => r.changes));
  h.run(beats(backAt, backAt + 15, backAt), { heartbeatEveryMin: 0 });
  return { h, backlogChanges };
}

const deliveryChanges = (results: { changes: { alert: { rule: string } }[] }[]) =>
  results.flatMap((r) => r.changes).filter((c) => c.alert.rule === 'contraband-delivery');

describe('contraband-delivery from late GSM activity', () => {
  it('a gateway back from an outage forwards a phone call after a drop: one late, incomplete delivery alert', () => {
    const { h, backlogChanges } = outage({
      live: drop(20),
      backlog: [gsm('g1', at(30), 'a-02'), gsm('g2', at(31), 'a-02')],
    });
    expect(backlogChanges.map((r) => r.disposition)).toEqual(['late', 'late']);
    expect(h.engine.lanes(h.state)[0]!.offlineSensors).toEqual([]);
    expect(h.alerts().map((a) => a.rule)).toEqual(
      expect.arrayContaining(['drone-drop', 'drone-incursion', 'contraband-delivery']),
    );
    const alerts = h.alerts('contraband-delivery');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      alertId: 'pi-test:contraband-delivery:a',
      severity: 'critical',
      status: 'open',
      cellIds: ['a-02'],
      sensorIds: ['gsm-a', 'radar-1'],
      evidence: ['d1', 'g1', 'g2'],
      count: 3,
      firstEventAt: at(20),
      lastEventAt: at(31),
    });
    expect(alerts[0]!.summary).toContain('Incomplete: sensor gsm-a offline');
    expect(
      h.changesOf('contraband-delivery').map((c) => [c.change, c.late, c.incomplete, c.alert.rev]),
    ).toEqual([
      ['opened', true, ['gsm-a'], 1],
      ['late-evidence', true, ['gsm-a'], 2],
    ]);
  });

  it.each([
    { name: 'active zone, device seen there before', zone: 'a-02', key: 'k-old', fires: false },
    { name: 'active zone, device new to the wing', zone: 'a-02', key: 'k-new', fires: true },
    { name: 'quiet zone, device seen in the wing before', zone: 'a-03', key: 'k-old', fires: true },
  ])('judged on the history before the late event: $name -> fires=$fires', ({ zone, key, fires }) => {
    const { h } = outage({
      from: -70,
      live: [gsm('g0', at(-60), 'a-02', { deviceKey: 'k-old' }), ...drop(20)],
      backlog: [gsm('g1', at(30), zone, { deviceKey: key })],
    });
    expect(h.alerts('contraband-delivery')).toHaveLength(fires ? 1 : 0);
  });

  it.each([
    { name: 'drone 10 minutes after the call', droneAt: 40, fires: false },
    { name: 'drone last seen 2 h and 1 min before the call', droneAt: -92, fires: false },
    { name: 'drone 10 minutes before the call', droneAt: 20, fires: true },
  ])(
    'needs a drone before the late event, within the window: $name -> fires=$fires',
    ({ droneAt, fires }) => {
      const { h } = outage({
        from: -100,
        live: drop(droneAt),
        backlog: [gsm('g1', at(30), 'a-02')],
      });
      expect(h.alerts('contraband-delivery')).toHaveLength(fires ? 1 : 0);
    },
  );

  it.each([
    { name: 'a zone quiet before it, active later', zone: 'a-03', key: undefined },
    { name: 'a device key seen in the wing only later', zone: 'a-02', key: 'k-new' },
  ])('reads only what came before the late event: $name', ({ zone, key }) => {
    const call = (id: string, minute: number) =>
      gsm(id, at(minute), zone, key === undefined ? {} : { deviceKey: key });
    const { h } = outage({
      from: -110,
      live: [gsm('g0', at(-105), 'a-02', { deviceKey: 'k-old' }), ...drop(-100)],
      // Forwarded newest first: g2 is past the drone's window (until 21) and raises nothing, but is
      // already in the history when g1, within it, comes.
      backlog: [call('g2', 40), call('g1', 15)],
    });
    expect(h.alerts('contraband-delivery')).toMatchObject([{ evidence: ['d1', 'g1'] }]);
  });

  it.each([
    // Back at 100: the definite time is 98, so the dedupe horizon reaches back to 38.
    { name: 'within the dedupe horizon', backAt: 100, callAt: 40, fires: true },
    {
      name: 'older than the dedupe horizon (it may be a repeat no longer known)',
      backAt: 100,
      callAt: 30,
      fires: false,
    },
    // The watermark passed the drone's window (until 141) before the backlog came: its incursion is kept.
    { name: 'within it, after the window closed on time', backAt: 180, callAt: 130, fires: true },
  ])('raises from late activity only $name -> fires=$fires', ({ backAt, callAt, fires }) => {
    const { h, backlogChanges } = outage({
      backAt,
      live: drop(20),
      backlog: [gsm('g1', at(callAt), 'a-02')],
    });
    expect(backlogChanges[0]!.disposition).toBe('late');
    expect(h.alerts('contraband-delivery')).toHaveLength(fires ? 1 : 0);
  });

  it('late activity that fits the open delivery alert folds in once: no second attach, no double count', () => {
    const { h, backlogChanges } = outage({
      live: [...drop(-30), gsm('g1', at(0), 'a-02')],
      backlog: [
        // In the zone the alert names, from a device new to the wing: both a trigger and a late fit.
        gsm('g2', at(30), 'a-02', { deviceKey: 'k-new' }),
        // A zone of the wing quiet until then: the delivery rule's to fold, not a late fit.
        gsm('g3', at(31), 'a-03'),
        gsm('g2', at(30), 'a-02', { deviceKey: 'k-new' }),
      ],
    });
    const [opened] = h.changesOf('contraband-delivery');
    expect(opened).toMatchObject({ change: 'opened', alert: { evidence: ['d1', 'g1'] } });
    expect(opened!.late).toBeUndefined();
    expect(backlogChanges.map((r) => r.disposition)).toEqual(['late', 'late', 'duplicate']);
    expect(deliveryChanges(backlogChanges).map((c) => c.alert)).toMatchObject([
      { rev: opened!.alert.rev + 1, count: 3, evidence: ['d1', 'g1', 'g2'] },
      { rev: opened!.alert.rev + 2, count: 4, evidence: ['d1', 'g1', 'g2', 'g3'] },
    ]);
    expect(
      h
        .changesOf('contraband-delivery')
        .slice(1)
        .map((c) => [c.change, c.late]),
    ).toEqual([
      ['late-evidence', true],
      ['late-evidence', true],
    ]);
    expect(h.alerts('contraband-delivery')).toMatchObject([
      { count: 4, cellIds: ['a-02', 'a-03'], evidence: ['d1', 'g1', 'g2', 'g3'] },
    ]);
  });
});
