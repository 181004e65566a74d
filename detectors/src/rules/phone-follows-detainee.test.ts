import { describe, expect, it } from 'vitest';
import type { SensorEvent } from '@wachtpost/contracts';
import { gsm, harness, heartbeat, roster, search } from '../testing/fixtures';

const MOVE = Date.parse('2026-06-04T10:00:00.000Z');
/** Hours after the move, as an ISO instant. */
const h = (hours: number) => new Date(MOVE + hours * 3_600_000).toISOString();

/** D-1 in a-01 with a phone on the nights of 1, 2 and 3 June, moved to b-01 on the 4th at 10:00Z. */
function history(keyInA?: string): SensorEvent[] {
  return [
    roster('r1', '2026-06-01T08:00:00.000Z', 'D-1', 'admit', 'a-01'),
    gsm('a1', '2026-06-01T21:00:00.000Z', 'a-01', keyInA ? { deviceKey: keyInA } : {}),
    gsm('a2', '2026-06-02T21:00:00.000Z', 'a-01', keyInA ? { deviceKey: keyInA } : {}),
    gsm('a3', '2026-06-03T21:00:00.000Z', 'a-01', keyInA ? { deviceKey: keyInA } : {}),
  ];
}
const move = roster('r2', h(0), 'D-1', 'move', 'b-01');

function follows(events: SensorEvent[]) {
  const run = harness();
  run.run(
    events.sort((x, y) => x.observedAt.localeCompare(y.observedAt)),
    { heartbeatEveryMin: 60, until: h(80) },
  );
  return run;
}

describe('phone-follows-detainee', () => {
  it('fires when A stays quiet for 48 h and B started within 72 h, at the end of the stop period', () => {
    const run = follows([...history(), move, gsm('b1', h(11), 'b-01')]);
    const [alert] = run.alerts('phone-follows-detainee');
    expect(alert).toMatchObject({
      alertId: 'pi-test:phone-follows-detainee:D-1',
      severity: 'critical',
      detaineeIds: ['D-1'],
      cellIds: ['a-01', 'b-01'],
      wingId: 'b',
      openedAt: h(48),
      evidence: ['a1', 'a2', 'a3', 'r2', 'b1'],
      sensorIds: ['gsm-a', 'gsm-b'],
    });
    expect(alert!.summary).not.toContain('certain');
  });

  it.each([
    { name: 'activity in A 30 h after the move', extra: [gsm('a4', h(30), 'a-01')], fires: false },
    { name: 'activity in A at exactly 48 h', extra: [gsm('a4', h(48), 'a-01')], fires: false },
    { name: 'activity in A 48 h and 1 min after', extra: [gsm('a4', h(48 + 1 / 60), 'a-01')], fires: true },
    { name: 'activity in a neighbouring cell', extra: [gsm('x1', h(30), 'a-02')], fires: true },
  ])('the stop in A: $name -> fires=$fires', ({ extra, fires }) => {
    const run = follows([...history(), move, gsm('b1', h(11), 'b-01'), ...extra]);
    expect(run.alerts('phone-follows-detainee')).toHaveLength(fires ? 1 : 0);
  });

  it.each([
    { name: 'B starts 50 h after the move (fires at that burst)', bAt: 50, fires: true },
    { name: 'B starts at exactly 72 h', bAt: 72, fires: true },
    { name: 'B starts 72 h and 1 min after', bAt: 72 + 1 / 60, fires: false },
    { name: 'B active before the move only', bAt: -1, fires: false },
  ])('the start in B: $name -> fires=$fires', ({ bAt, fires }) => {
    const run = follows([...history(), move, gsm('b1', h(bAt), 'b-01')]);
    const alerts = run.alerts('phone-follows-detainee');
    expect(alerts).toHaveLength(fires ? 1 : 0);
    if (fires && bAt > 48) expect(alerts[0]!.openedAt).toBe(h(bAt));
  });

  it('needs activity on 2 nights in A before the move', () => {
    const events = history().filter((e) => e.eventId !== 'a2' && e.eventId !== 'a3');
    expect(follows([...events, move, gsm('b1', h(11), 'b-01')]).alerts()).toHaveLength(0);
  });

  it('the same device key in B makes it certain and fires at once, even if A stays busy', () => {
    const run = follows([
      ...history('imei-7'),
      move,
      gsm('a4', h(5), 'a-01'),
      gsm('b1', h(11), 'b-01', { deviceKey: 'imei-7' }),
    ]);
    const [alert] = run.alerts('phone-follows-detainee');
    expect(alert).toMatchObject({ openedAt: h(11) });
    expect(alert!.summary).toContain('certain');
  });

  it('a back-dated move recorded three days later still fires, looking back', () => {
    const late = roster('r2', h(70), 'D-1', 'move', 'b-01', h(0));
    const run = follows([...history(), gsm('b1', h(11), 'b-01'), late]);
    expect(run.alerts('phone-follows-detainee')[0]).toMatchObject({ openedAt: h(70), detaineeIds: ['D-1'] });
  });

  it('a silent sensor over A marks the stop as incomplete', () => {
    const events = [...history(), move, gsm('b1', h(11), 'b-01')];
    const run = harness();
    // gsm-a goes silent after the move: every heartbeat but its own.
    const beats: SensorEvent[] = [];
    for (let t = Date.parse('2026-06-01T07:00:00.000Z'); t <= MOVE + 80 * 3_600_000; t += 3_600_000) {
      for (const sensor of ['gsm-a', 'gsm-b', 'gsm-e', 'radar-1', 'rf-1', 'search-gw', 'roster-gw']) {
        if (sensor === 'gsm-a' && t > MOVE) continue;
        beats.push(heartbeat(`hb-${sensor}-${t}`, new Date(t).toISOString(), sensor));
      }
    }
    run.run(
      [...events, ...beats].sort((x, y) => x.observedAt.localeCompare(y.observedAt)),
      { heartbeatEveryMin: 0 },
    );
    const [alert] = run.alerts('phone-follows-detainee');
    expect(alert!.summary).toContain('Incomplete: sensor gsm-a');
    expect(run.changesOf('phone-follows-detainee')[0]!.incomplete).toEqual(['gsm-a']);
    expect(run.alerts('sensor-offline').map((a) => a.sensorIds)).toEqual([['gsm-a']]);
  });
  it('a roster record sent again for the same move (a re-export) keeps the watch', () => {
    const again = roster('r3', h(2), 'D-1', 'move', 'b-01', h(0));
    const run = follows([...history(), move, again, gsm('b1', h(11), 'b-01')]);
    expect(run.alerts('phone-follows-detainee')[0]).toMatchObject({
      openedAt: h(48),
      cellIds: ['a-01', 'b-01'],
    });
  });

  it('a correction of the destination cell at the same effective time watches A against the corrected cell', () => {
    const corrected = roster('r3', h(2), 'D-1', 'move', 'b-02', h(0));
    const run = follows([...history(), move, corrected, gsm('b1', h(11), 'b-02')]);
    expect(run.alerts('phone-follows-detainee')[0]).toMatchObject({
      openedAt: h(48),
      cellIds: ['a-01', 'b-02'],
    });
  });
  it('a detainee moved twice: the phone that left A turns up in the third cell', () => {
    const second = roster('r3', h(20), 'D-1', 'move', 'e-01');
    const run = follows([...history(), move, second, gsm('e1', h(30), 'e-01')]);
    const [alert] = run.alerts('phone-follows-detainee');
    expect(alert).toMatchObject({ openedAt: h(48), wingId: 'e', detaineeIds: ['D-1'] });
    expect(alert!.cellIds).toEqual(expect.arrayContaining(['a-01', 'e-01']));
  });

  it('a detainee moved twice: activity in the intermediate cell while he was there still counts', () => {
    const second = roster('r3', h(20), 'D-1', 'move', 'e-01');
    const run = follows([...history(), move, gsm('b1', h(11), 'b-01'), second]);
    expect(run.alerts('phone-follows-detainee')).toHaveLength(1);
  });

  it('a detainee moved twice: activity in the intermediate cell after he left does not count', () => {
    const second = roster('r3', h(20), 'D-1', 'move', 'e-01');
    const run = follows([...history(), move, second, gsm('b1', h(30), 'b-01')]);
    expect(run.alerts('phone-follows-detainee')).toHaveLength(0);
  });

  it('a detainee moved back to A: the phone seen in A again is not one that followed him', () => {
    const back = roster('r3', h(20), 'D-1', 'move', 'a-01');
    const run = follows([
      ...history('imei-7'),
      move,
      back,
      gsm('a4', h(30), 'a-01', { deviceKey: 'imei-7' }),
    ]);
    expect(run.alerts('phone-follows-detainee')).toHaveLength(0);
  });

  it('a sensor over A reporting itself degraded during the stop marks the stop as incomplete', () => {
    const events = [...history(), move, gsm('b1', h(11), 'b-01')];
    const run = harness();
    const beats: SensorEvent[] = [];
    for (let t = Date.parse('2026-06-01T07:00:00.000Z'); t <= MOVE + 80 * 3_600_000; t += 3_600_000) {
      for (const sensor of ['gsm-a', 'gsm-b', 'gsm-e', 'radar-1', 'rf-1', 'search-gw', 'roster-gw']) {
        const degraded = sensor === 'gsm-a' && t > MOVE && t < MOVE + 30 * 3_600_000;
        beats.push(
          heartbeat(`hb-${sensor}-${t}`, new Date(t).toISOString(), sensor, degraded ? 'degraded' : 'ok'),
        );
      }
    }
    run.run(
      [...events, ...beats].sort((x, y) => x.observedAt.localeCompare(y.observedAt)),
      { heartbeatEveryMin: 0 },
    );
    const [alert] = run.alerts('phone-follows-detainee');
    expect(alert!.summary).toContain('Incomplete: sensor gsm-a');
    expect(run.changesOf('phone-follows-detainee')[0]!.incomplete).toEqual(['gsm-a']);
    // Degraded is still heard: no offline alert of its own.
    expect(run.alerts('sensor-offline')).toEqual([]);
  });

  it('once the phone is found in B, the end of the watch raises no second alert for the same move', () => {
    const find = search('s1', h(50), ['b-01'], [{ category: 'phone', cellId: 'b-01' }]);
    const run = follows([...history(), move, gsm('b1', h(11), 'b-01'), find]);
    expect(run.changesOf('phone-follows-detainee').map((c) => [c.change, c.alert.alertId])).toEqual([
      ['opened', 'pi-test:phone-follows-detainee:D-1'],
      ['resolved', 'pi-test:phone-follows-detainee:D-1'],
    ]);
  });
  it.each([
    { name: 'in B, where the phone went', cell: 'b-01', resolves: true },
    { name: 'in A, where it was said to have stopped', cell: 'a-01', resolves: false },
  ])('a search that finds a phone $name: resolves=$resolves', ({ cell, resolves }) => {
    const find = search('s1', h(50), [cell], [{ category: 'phone', cellId: cell }]);
    const run = follows([...history(), move, gsm('b1', h(11), 'b-01'), find]);
    const resolved = run.changesOf('phone-follows-detainee').filter((c) => c.change === 'resolved');
    expect(resolved.map((c) => c.outcome?.cellId)).toEqual(resolves ? [cell] : []);
  });
});
