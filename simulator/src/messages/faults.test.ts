import { SENSOR_EVENT_KINDS, type SensorEvent } from '@wachtpost/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../generator/generate';
import { Rng } from '../rng';
import { demoSite, HOUR, T0, verdict } from '../test-fixtures';
import { faultCatalogue } from './fault-catalogue';
import { withFaults } from './fault-stream';
import {
  applyFault,
  EXPECTED_OUTCOME,
  faultApplies,
  FAULT_KINDS,
  MESSAGE_FAULTS,
  type FaultKind,
} from './faults';
import { toTimedMessage, type TimedMessage } from './message';

/** Events of every kind, drones and searches included, from three busy office hours on a Monday. */
const FROM = T0 + 32 * HOUR;
const traffic = [
  ...generateEvents({ site: demoSite(), seed: 11, from: FROM, to: FROM + 3 * HOUR, intensity: 3000 }),
];

/** Messages as comparable text: deep equality over thousands of byte arrays is slow. */
const digest = (messages: readonly TimedMessage[]) =>
  messages
    .map((m) => `${m.at} ${m.subject} ${m.msgId} ${m.fault} ${Buffer.from(m.data).toString('base64')}`)
    .join('\n');
const sample = SENSOR_EVENT_KINDS.flatMap((kind) => traffic.filter((e) => e.kind === kind).slice(0, 40));

const outcomeOf = (subject: string, data: Uint8Array, now: number) => {
  const v = verdict(subject, data, now);
  return v.ok ? { accepted: true } : { accepted: false, reason: v.reason };
};

describe('applyFault', () => {
  it('has a sample of every kind of event', () => {
    expect(new Set(sample.map((e) => e.kind)).size).toBe(SENSOR_EVENT_KINDS.length);
  });

  it('makes each message fault get the reject reason it intends', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sample),
        fc.constantFrom(...MESSAGE_FAULTS),
        fc.integer(),
        (event, fault, seed) => {
          fc.pre(faultApplies(fault, event));
          const message = applyFault(fault, event, Rng.create(seed));
          expect(message.msgId).toBe(event.eventId);
          // Received when a gateway would have sent it: at its (true) observation time.
          expect(outcomeOf(message.subject, message.data, Date.parse(event.observedAt) + 50)).toEqual(
            EXPECTED_OUTCOME[fault],
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('names a zone only for events that have one', () => {
    const heartbeat = sample.find((e) => e.kind === 'heartbeat')!;
    expect(faultApplies('unknown-zone', heartbeat)).toBe(false);
    expect(() => applyFault('unknown-zone', heartbeat, Rng.create(1))).toThrow(/names no zone/);
  });
});

describe('withFaults', () => {
  const kinds: FaultKind[] = [...FAULT_KINDS];
  const silence = { sensorId: 'rf-1', from: FROM + HOUR, to: FROM + 2 * HOUR };
  const run = (seed = 5, rate = 0.05) => [...withFaults(traffic, { kinds, rate, seed, silences: [silence] })];
  const messages = run();
  const eventOf = (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as SensorEvent;

  it('is deterministic and in publish-time order', () => {
    expect(digest(run())).toBe(digest(messages));
    expect(digest(run(6))).not.toBe(digest(messages));
    expect(messages.every((m, i) => i === 0 || m.at >= messages[i - 1]!.at)).toBe(true);
  });

  it('injects every fault at about the rate asked, each with its intended outcome', () => {
    const seen = new Map<string, number>();
    const sent = new Map<string, string>();
    const wrong: string[] = [];
    // A high rate, so that even the faults only some events can carry (unknown zone) turn up.
    const faulted = run(5, 0.3);
    for (const m of faulted) {
      seen.set(m.fault ?? 'none', (seen.get(m.fault ?? 'none') ?? 0) + 1);
      const outcome = outcomeOf(m.subject, m.data, m.at + 50);
      const body = Buffer.from(m.data).toString('base64');
      const intended =
        m.fault === undefined || m.fault === 'late' || m.fault === 'reorder' || m.fault === 'duplicate'
          ? { accepted: true }
          : EXPECTED_OUTCOME[m.fault as FaultKind];
      if (JSON.stringify(outcome) !== JSON.stringify(intended))
        wrong.push(`${m.fault}: ${JSON.stringify(outcome)}`);
      // A duplicate repeats the eventId, Nats-Msg-Id and bytes of the copy sent before it.
      if (m.fault === 'duplicate' && sent.get(m.msgId!) !== body) wrong.push(`duplicate ${m.msgId} differs`);
      if (m.msgId !== undefined && !sent.has(m.msgId)) sent.set(m.msgId, body);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    for (const fault of FAULT_KINDS.filter((k) => k !== 'silence'))
      expect(seen.get(fault), fault).toBeGreaterThan(0);
    const faulty = faulted.filter((m) => m.fault).length;
    expect(faulty / traffic.length).toBeGreaterThan(0.27);
    expect(faulty / traffic.length).toBeLessThan(0.33);
  });

  it('delivers late and reordered events after events observed later', () => {
    const late = messages.filter((m) => m.fault === 'late');
    for (const m of late)
      expect(m.at - Date.parse(eventOf(m.data).observedAt)).toBeGreaterThanOrEqual(30_000);
    const overtaken = messages.filter((m, i) => {
      if (m.fault !== 'reorder') return false;
      const next = messages
        .slice(0, i)
        .reverse()
        .find((p) => p.subject === m.subject && !p.fault);
      return next !== undefined && eventOf(next.data).observedAt > eventOf(m.data).observedAt;
    });
    expect(overtaken.length).toBeGreaterThan(0);
  });

  it('silences a sensor, events and heartbeats alike, for its window only', () => {
    const rf1 = messages.filter((m) => m.subject.endsWith('.rf-1')).map((m) => m.at);
    expect(rf1.filter((at) => at >= silence.from && at < silence.to)).toEqual([]);
    expect(rf1.some((at) => at < silence.from)).toBe(true);
    expect(rf1.some((at) => at >= silence.to)).toBe(true);
  });

  it('counts the delayed copies still held back when the reader stops at an end', () => {
    const events = traffic.slice(0, 3000);
    const end = Date.parse(events.at(-1)!.observedAt) + 1;
    const plan = { kinds: ['late', 'duplicate', 'reorder'] as FaultKind[], rate: 0.2, seed: 3 };
    const all = [...withFaults(events, plan)];
    const stream = withFaults(events, plan);
    let sent = 0;
    for (const m of stream) {
      if (m.at >= end) break;
      sent++;
    }
    // The copy the reader took but did not send counts as held too.
    expect(stream.held).toBe(all.filter((m) => m.at >= end).length);
    expect(stream.held).toBeGreaterThan(10);
    expect(sent + stream.held).toBe(all.length);
  });

  it('passes traffic through untouched at rate 0 without silences', () => {
    expect(digest([...withFaults(traffic, { kinds, rate: 0, seed: 1 })])).toBe(
      digest(traffic.map(toTimedMessage)),
    );
  });
});

describe('faultCatalogue', () => {
  it('makes one of each fault, stamped so the receiving clock now gives each its outcome', () => {
    const now = T0 + 10 * HOUR;
    const entries = faultCatalogue(demoSite(), 3, now, FAULT_KINDS, 2);
    expect(new Set(entries.map((e) => e.fault))).toEqual(new Set(FAULT_KINDS.filter((k) => k !== 'silence')));
    for (const entry of entries) {
      const expected = entry.expect === 'absent' ? undefined : { ...entry.expect };
      if (expected && 'duplicate' in expected) delete expected.duplicate;
      expect(outcomeOf(entry.message.subject, entry.message.data, now), entry.fault).toEqual(expected);
    }
    const reorder = entries.filter((e) => e.fault === 'reorder').slice(0, 2);
    const [first, second] = reorder.map(
      (e) => JSON.parse(new TextDecoder().decode(e.message.data)) as SensorEvent,
    );
    expect(first!.observedAt > second!.observedAt).toBe(true);
    const duplicates = entries.filter((e) => e.fault === 'duplicate');
    expect(duplicates).toHaveLength(3 * 2);
    expect(duplicates[0]!.message).toEqual(duplicates[1]!.message);
    const { msgId, ...withoutId } = duplicates[0]!.message;
    expect(msgId).toBe(duplicates[0]!.eventId);
    expect(duplicates[2]!.message).toEqual(withoutId);
  });
});
