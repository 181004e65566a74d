import { indexSite, sensorSubject, type SensorEvent } from '@wachtpost/contracts';
import { describe, expect, it } from 'vitest';
import type { AlertChange } from '../engine/alert-book';
import { createEngine } from '../engine/engine';
import { unpackState } from '../engine/state-codec';
import { TEST_SITE, gsm, heartbeat, search } from '../testing/fixtures';
import type { ClockInput } from './clock-input';
import { Correlator } from './correlator';
import type { SensorMessage } from './sensor-message';

const sites = new Map([[TEST_SITE.id, indexSite(TEST_SITE)]]);
const RETENTION = 7 * 86_400_000;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const encoder = new TextEncoder();

const message = (
  seq: number,
  event: SensorEvent,
  storedAtMs = Date.parse(event.observedAt),
): SensorMessage => ({
  seq,
  subject: sensorSubject(event),
  data: encoder.encode(JSON.stringify(event)),
  storedAtMs,
});

const correlator = (restored?: ConstructorParameters<typeof Correlator>[0]['restored']) =>
  new Correlator({ engine: createEngine([TEST_SITE]), sites, retentionMs: RETENTION, restored });

/** Live traffic in which only the clock ticks tell that gsm-a went silent (its interval is one minute). */
function traffic(): SensorEvent[] {
  const out: SensorEvent[] = [];
  for (let s = 0; s <= 60; s += 60) out.push(heartbeat(`a-${s}`, at(s), 'gsm-a', 'ok', { intervalS: 60 }));
  for (let s = 0; s <= 600; s += 30)
    out.push(heartbeat(`r-${s}`, at(s), 'radar-1', 'ok', { intervalS: 600 }));
  out.push(search('s1', at(300), ['a-01']), gsm('g1', at(320), 'a-01'));
  return out.sort((a, b) => a.observedAt.localeCompare(b.observedAt) || a.eventId.localeCompare(b.eventId));
}

describe('Correlator', () => {
  it('feeds messages in stream order and ignores what it already has', () => {
    const c = correlator();
    const out: AlertChange[] = [];
    expect(c.feed(message(1, heartbeat('h1', at(0), 'gsm-a')), out).result).toBe('processed');
    expect(c.feed(message(1, heartbeat('h1', at(0), 'gsm-a')), out).result).toBe('redelivered');
    expect(c.feed(message(3, heartbeat('h2', at(1), 'gsm-a')), out)).toEqual({
      result: 'processed',
      siteId: 'pi-test',
    });
    expect(c.lastSeq).toBe(3);
  });

  it('moves past messages that break the contract without handing them to the engine', () => {
    const c = correlator();
    const out: AlertChange[] = [];
    const bad: SensorMessage = {
      seq: 7,
      subject: 'sensors.v1.pi-test.gsm.gsm-a',
      data: encoder.encode('{'),
      storedAtMs: T0,
    };
    expect(c.feed(bad, out).result).toBe('invalid');
    expect(c.lastSeq).toBe(7);
  });

  it('judges the clock against when the stream stored a message, not when it is read', () => {
    const event = heartbeat('old', at(0), 'gsm-a');
    const out: AlertChange[] = [];
    expect(correlator().feed(message(1, event, T0 + 60_000), out).result).toBe('processed');
    expect(correlator().feed(message(1, event, T0 + RETENTION + 60_000), out).result).toBe('invalid');
  });

  it('after a restore, repeats logged clock inputs in place and derives the same changes', () => {
    const events = traffic();
    const ticks = new Map([
      [5, T0 + 200_000],
      [12, T0 + 500_000],
      [20, T0 + 700_000],
    ]);
    const run = (from: Correlator, start: number, log: ClockInput[], replay: boolean) => {
      const out: AlertChange[] = [];
      for (let i = start; i < events.length; i++) {
        from.feed(message(i + 1, events[i]!), out);
        const tick = ticks.get(i + 1);
        if (tick !== undefined && !replay) log.push(from.clock('advance', 'pi-test', tick, out));
      }
      from.finishReplay(out);
      return out;
    };

    const whole = correlator();
    const log: ClockInput[] = [];
    const outBefore: AlertChange[] = [];
    for (let i = 0; i < 8; i++) {
      whole.feed(message(i + 1, events[i]!), outBefore);
      const tick = ticks.get(i + 1);
      if (tick !== undefined) log.push(whole.clock('advance', 'pi-test', tick, outBefore));
    }
    const snapshot = whole.snapshot();
    const after = run(whole, 8, log, false);
    expect(after.some((c) => c.alert.rule === 'sensor-offline')).toBe(true);

    const restored = correlator({
      state: unpackState(snapshot.state),
      seq: snapshot.seq,
      clockNo: snapshot.clockNo,
      replay: log.filter((input) => input.no > snapshot.clockNo),
    });
    expect(run(restored, 8, [], true)).toEqual(after);
    expect(restored.snapshot().state).toBe(whole.snapshot().state);
  });
});
