import type { SensorEvent, SiteModel } from '@wachtpost/contracts';
import { generateEvents } from '../generator/generate';
import { Rng } from '../rng';
import {
  applyFault,
  EXPECTED_OUTCOME,
  faultApplies,
  MESSAGE_FAULTS,
  type FaultKind,
  type Outcome,
} from './faults';
import { toMessage, type OutMessage } from './message';
import { shiftEvent } from './time-shift';

export interface CatalogueEntry {
  fault: FaultKind;
  expect: Outcome;
  eventId: string;
  message: OutMessage;
}

const isMessageFault = (k: FaultKind): k is (typeof MESSAGE_FAULTS)[number] =>
  (MESSAGE_FAULTS as readonly string[]).includes(k);

/**
 * A one-shot set of faulty messages, `count` of each fault, made from an hour of realistic traffic and
 * stamped just before `now`, in the order to send them. Silence is a property of a stream, not of a message,
 * so it is left out here (use `feed --silence`). Pure.
 */
export function faultCatalogue(
  site: SiteModel,
  seed: number,
  now: number,
  faults: readonly FaultKind[],
  count: number,
  exercise = true,
): CatalogueEntry[] {
  const rng = Rng.create(seed, 'fault-catalogue');
  // A busy hour (drones included) so that every kind of event is there to break.
  const pool = [
    ...generateEvents({ site, seed, from: now - 3_600_000, to: now, intensity: 20_000, exercise }),
  ];
  const recent = (event: SensorEvent, agoMs: number) =>
    shiftEvent(event, now - agoMs - Date.parse(event.observedAt));
  const entries: CatalogueEntry[] = [];
  let cursor = 0;
  const nextEvent = (fault: FaultKind): SensorEvent => {
    for (let tries = 0; tries < pool.length; tries++) {
      const event = pool[(cursor = (cursor + 7919) % pool.length)]!;
      if (faultApplies(fault, event)) return event;
    }
    throw new Error(`no event in the sample can carry fault ${fault}`);
  };
  for (const fault of faults) {
    if (fault === 'silence') continue;
    for (let i = 0; i < count; i++) {
      const event = recent(nextEvent(fault), rng.int(0, 5000));
      const entry = (message: OutMessage, e: SensorEvent = event) => ({
        fault,
        expect: EXPECTED_OUTCOME[fault],
        eventId: e.eventId,
        message,
      });
      if (isMessageFault(fault)) {
        entries.push(entry(applyFault(fault, event, rng)));
      } else if (fault === 'duplicate') {
        // A repeat with the same Nats-Msg-Id, which JetStream drops inside its duplicate window, and one
        // without (a gateway that does not set it, or retries past the window), which ingest must recognise.
        const { msgId: _sameId, ...withoutId } = toMessage(event);
        entries.push(entry(toMessage(event)), entry(toMessage(event)), entry(withoutId));
      } else if (fault === 'late') {
        const late = recent(event, rng.uniform(2, 10) * 60_000);
        entries.push(entry(toMessage(late), late));
      } else if (fault === 'reorder') {
        // Two observations a second apart, the later one sent first.
        const earlier = recent(event, 2000);
        const later = {
          ...recent(event, 1000),
          eventId: `${event.eventId.slice(0, 60)}-ooo`,
          seq: (event.seq ?? 0) + 1,
        };
        entries.push(entry(toMessage(later), later), entry(toMessage(earlier), earlier));
      }
    }
  }
  return entries;
}
