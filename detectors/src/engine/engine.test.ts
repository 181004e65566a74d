import { describe, expect, it } from 'vitest';
import { SPOTS, asExercise, drone, gsm, harness, heartbeat, roster } from '../testing/fixtures';

const nights = ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-03T21:00:00.000Z'];

describe('engine', () => {
  it('attaches an event later than the watermark to the open alert it fits, and counts it', () => {
    const h = harness();
    h.run(
      nights.map((t, i) => gsm(`g${i}`, t, 'a-01')),
      { heartbeatEveryMin: 60 },
    );
    const result = h.engine.step(h.state, gsm('late', '2026-06-01T23:00:00.000Z', 'a-01'));
    expect(result.disposition).toBe('late');
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      change: 'late-evidence',
      late: true,
      alert: { rule: 'persistent-phone', count: 4, evidence: ['g0', 'late', 'g1', 'g2'] },
    });
    expect(h.engine.lanes(h.state)[0]).toMatchObject({ late: 1 });
  });

  it("late evidence newer than the alert's last evidence moves lastEventAt on", () => {
    const h = harness();
    h.run(
      nights.map((t, i) => gsm(`g${i}`, t, 'a-01')),
      { heartbeatEveryMin: 60 },
    );
    const result = h.engine.step(h.state, gsm('late', '2026-06-03T21:30:00.000Z', 'a-01'));
    expect(result.disposition).toBe('late');
    expect(result.changes[0]?.alert).toMatchObject({
      firstEventAt: '2026-06-01T21:00:00.000Z',
      lastEventAt: '2026-06-03T21:30:00.000Z',
      count: 4,
    });
  });

  it('a silent sensor holds the watermark: its report 5 minutes behind the newest still correlates', () => {
    const h = harness();
    // gsm-a was last heard at 21:50; radar-1 runs ahead to 22:10 before gsm-a's 21:55 burst arrives.
    h.run(
      [
        heartbeat('a0', '2026-06-03T21:50:00.000Z', 'gsm-a'),
        drone('d0', '2026-06-03T22:10:00.000Z', 'T0', SPOTS.outside),
      ],
      { heartbeatEveryMin: 0 },
    );
    expect(h.engine.lanes(h.state)[0]!.watermark).toBe('2026-06-03T21:48:00.000Z');
    const burst = h.engine.step(h.state, gsm('g', '2026-06-03T21:55:00.000Z', 'a-01'));
    expect(burst.disposition).toBe('processed');
    expect(h.engine.lanes(h.state)[0]).toMatchObject({ watermark: '2026-06-03T21:53:00.000Z', buffered: 1 });
  });

  it('once the silent sensor is declared offline the watermark moves on without it', () => {
    const h = harness();
    h.run(
      [
        heartbeat('a0', '2026-06-03T20:00:00.000Z', 'gsm-a'),
        heartbeat('r0', '2026-06-03T20:00:00.000Z', 'radar-1'),
        heartbeat('r1', '2026-06-03T23:03:00.000Z', 'radar-1'),
      ],
      { heartbeatEveryMin: 0 },
    );
    expect(h.engine.lanes(h.state)[0]).toMatchObject({
      offlineSensors: ['gsm-a'],
      watermark: '2026-06-03T23:01:00.000Z',
    });
  });

  it('breaks ties on observedAt by seq, whatever the arrival order and event ids', () => {
    const h = harness();
    const at = '2026-06-01T22:30:00.000Z';
    h.run(
      [
        drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.overA),
        gsm('g-a', at, 'a-02', { seq: 2, deviceKey: 'k2' }),
        gsm('g-b', at, 'a-02', { seq: 1, deviceKey: 'k1' }),
      ],
      { heartbeatEveryMin: 60 },
    );
    const opened = h.changesOf('contraband-delivery').find((c) => c.change === 'opened');
    expect(opened?.alert.evidence).toEqual(['d1', 'g-b']);
  });

  it('drops redeliveries of the same event id', () => {
    const h = harness();
    const ev = gsm('g1', nights[0]!, 'a-01');
    expect(h.engine.step(h.state, ev).disposition).toBe('processed');
    expect(h.engine.step(h.state, ev).disposition).toBe('duplicate');
    expect(h.engine.lanes(h.state)[0]).toMatchObject({ processed: 1, duplicates: 1 });
  });

  it('knows repeated heartbeats and drone reports by their sensor and track, without remembering their ids', () => {
    const h = harness();
    const fault = heartbeat('hb1', '2026-06-01T22:00:00.000Z', 'radar-1', 'fault');
    const positioned = drone('d1', '2026-06-01T22:00:01.000Z', 'T1', SPOTS.overYard1);
    const bearing = drone('d2', '2026-06-01T22:00:02.000Z', 'T1', null, { detection: 'rf' });
    const later = drone('d3', '2026-06-01T22:00:03.000Z', 'T1', SPOTS.overYard1);
    for (const ev of [fault, positioned, bearing, later])
      expect(h.engine.step(h.state, ev).disposition).toBe('processed');
    expect(h.engine.step(h.state, later).disposition).toBe('duplicate');
    for (const ev of [positioned, bearing])
      expect(h.engine.step(h.state, ev)).toMatchObject({ disposition: 'duplicate', changes: [] });
    // No longer the radar's latest event, so not known as a repeat; but it changes nothing: no repeated fault.
    expect(h.engine.step(h.state, fault).changes).toEqual([]);
    expect(h.engine.flush(h.state).changes.filter((c) => c.alert.rule === 'sensor-offline')).toEqual([]);
    expect(h.engine.alerts(h.state).find((a) => a.rule === 'sensor-offline')).toMatchObject({ count: 1 });
    const lane = Object.values(h.state.lanes)[0]!;
    expect(lane.seenOrder).toEqual([]);
    expect(h.engine.lanes(h.state)[0]).toMatchObject({ processed: 5, duplicates: 3 });
  });

  it('ignores events of sites it does not know', () => {
    const h = harness();
    const ev = { ...gsm('g1', nights[0]!, 'a-01'), siteId: 'elsewhere' };
    expect(h.engine.step(h.state, ev)).toMatchObject({ disposition: 'unknown-site', changes: [] });
  });

  it('exercise traffic raises only exercise alerts, in a lane of its own', () => {
    const h = harness();
    h.run(
      nights.map((t, i) => asExercise(gsm(`x${i}`, t, 'a-01'))),
      { heartbeatEveryMin: 60, exerciseHeartbeats: true },
    );
    const alerts = h.alerts();
    expect(alerts.map((a) => [a.alertId, a.exercise])).toEqual([
      ['pi-test.exercise:persistent-phone:a-01', true],
    ]);
    expect(h.engine.lanes(h.state).map((l) => l.exercise)).toEqual([false, true]);
  });

  it('exercise roster changes do not name live detainees, nor the reverse', () => {
    const h = harness();
    h.run(
      [
        roster('r1', '2026-06-01T08:00:00.000Z', 'LIVE-1', 'admit', 'a-01'),
        ...nights.map((t, i) => asExercise(gsm(`x${i}`, t, 'a-01'))),
      ],
      { heartbeatEveryMin: 60, exerciseHeartbeats: true },
    );
    expect(h.alerts()[0]!.detaineeIds).toEqual([]);
  });

  it('operators acknowledge and resolve; an escalation reopens an acknowledged alert', () => {
    const h = harness();
    h.run(
      nights.map((t, i) => gsm(`g${i}`, t, 'a-01')),
      { heartbeatEveryMin: 60 },
    );
    const id = 'pi-test:persistent-phone:a-01';
    const ack = h.engine.command(h.state, {
      action: 'acknowledge',
      alertId: id,
      at: '2026-06-04T08:00:00.000Z',
    });
    expect(ack).toMatchObject({
      found: true,
      changes: [{ change: 'acknowledged', alert: { status: 'acknowledged', rev: 2 } }],
    });
    h.run(
      ['2026-06-04T21:00:00.000Z', '2026-06-05T21:00:00.000Z'].map((t, i) => gsm(`n${i}`, t, 'a-01')),
      { heartbeatEveryMin: 60 },
    );
    expect(h.alerts('persistent-phone')[0]).toMatchObject({ status: 'open', severity: 'critical' });
    const resolved = h.engine.command(h.state, {
      action: 'resolve',
      alertId: id,
      at: '2026-06-06T08:00:00.000Z',
    });
    expect(resolved.changes[0]).toMatchObject({ change: 'resolved', outcome: { result: 'operator' } });
    expect(h.engine.command(h.state, { action: 'resolve', alertId: 'nope', at: 0 }).found).toBe(false);
  });

  it.each([
    {
      name: 'adopts the revision the console stored for an acknowledge, sending nothing',
      action: 'acknowledge' as const,
      engineRepeats: 0,
      consoleRev: 2,
      sent: [],
      then: { rev: 2, status: 'acknowledged' },
    },
    {
      name: 'adopts the rev of a note, which changes no alert field',
      action: 'note' as const,
      engineRepeats: 0,
      consoleRev: 2,
      sent: [],
      then: { rev: 2, status: 'open' },
    },
    {
      // The engine sent its own rev 2 before it saw the console's: the store kept the console's, so the
      // acknowledge goes out again as rev 3 rather than being undone by the engine's status `open`.
      name: 'sends the status change as the next rev when the engine had taken the console rev itself',
      action: 'acknowledge' as const,
      engineRepeats: 1,
      consoleRev: 2,
      sent: [{ change: 'acknowledged', rev: 3 }],
      then: { rev: 3, status: 'acknowledged' },
    },
  ])('$name', ({ action, engineRepeats, consoleRev, sent, then }) => {
    const h = harness();
    h.run(
      nights.map((t, i) => gsm(`g${i}`, t, 'a-01')),
      { heartbeatEveryMin: 60 },
    );
    const id = 'pi-test:persistent-phone:a-01';
    const extra = ['2026-06-04T21:00:00.000Z'].slice(0, engineRepeats);
    h.run(
      extra.map((t, i) => gsm(`r${i}`, t, 'a-01')),
      { heartbeatEveryMin: 60 },
    );
    h.engine.flush(h.state);
    const result = h.engine.command(h.state, {
      action,
      alertId: id,
      at: '2026-06-05T08:00:00.000Z',
      rev: consoleRev,
    });
    expect(result.changes.map((c) => ({ change: c.change, rev: c.alert.rev }))).toEqual(sent);
    expect(h.alerts('persistent-phone')[0]).toMatchObject(then);
    // The engine's next revision follows on.
    h.run([gsm('next', '2026-06-05T21:00:00.000Z', 'a-01')], { heartbeatEveryMin: 60 });
    h.engine.flush(h.state);
    expect(h.alerts('persistent-phone')[0]!.rev).toBe(then.rev + 1);
  });

  it('keeps alert ids within 128 characters for very long track ids', () => {
    const h = harness();
    h.run([drone('d1', '2026-06-01T22:00:00.000Z', 'T'.repeat(128), SPOTS.overA)], { heartbeatEveryMin: 0 });
    const [alert] = h.alerts('drone-incursion');
    expect(alert!.alertId.length).toBeLessThanOrEqual(128);
    expect(alert!.alertId).toMatch(/^pi-test:drone-incursion:h[0-9a-f]{16}$/);
  });
});
