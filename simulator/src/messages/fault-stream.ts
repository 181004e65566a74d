import type { SensorEvent } from '@wachtpost/contracts';
import { EventQueue } from '../generator/event-queue';
import { Rng } from '../rng';
import { shiftEvent } from './time-shift';
import { applyFault, faultApplies, MESSAGE_FAULTS, type FaultKind, type MessageFault } from './faults';
import { toTimedMessage, type TimedMessage } from './message';

/** A sensor that goes quiet, events and heartbeats alike, over [from, to) in simulated time. */
export interface Silence {
  sensorId: string;
  from: number;
  to: number;
}

export interface FaultPlan {
  /** Faults to draw from; `silence` here does nothing: silences are listed explicitly. */
  kinds: readonly FaultKind[];
  /** Chance that an event carries one of `kinds`. */
  rate: number;
  seed: number;
  silences?: readonly Silence[];
  /**
   * The receiving clock when a message due at simulated `at` arrives; default `at` itself. Skews are measured
   * from it: a feed that runs hours in the past must still skew ahead of the receiver, not of its story.
   */
  receivedAt?: (at: number) => number;
}

const SECOND_MS = 1000;

/** The messages of a fault plan, and what stopping to read them now would leave unsent. */
export interface FaultStream extends Iterable<TimedMessage> {
  /**
   * Delayed copies (late, duplicate, reorder) of events already read that have not been sent. A copy counts
   * until the reader comes back for the next message, so one taken but not sent when a run ends counts too.
   */
  readonly held: number;
}

/**
 * Turns a stream of valid events into the messages to publish, with faults injected, in publish-time order.
 * A late message is held back and published minutes after its observation; a reordered one a few seconds
 * later, so events observed after it overtake it; a duplicate is sent again, sometimes within the stream's
 * duplicate window and sometimes after it. Single use, like the generator it wraps.
 */
export function withFaults(events: Iterable<SensorEvent>, plan: FaultPlan): FaultStream {
  const state = { held: 0 };
  const messages = faultMessages(events, plan, state);
  return {
    [Symbol.iterator]: () => messages,
    get held() {
      return state.held;
    },
  };
}

interface Pending {
  message: TimedMessage;
  delayed: boolean;
}

function* faultMessages(
  events: Iterable<SensorEvent>,
  plan: FaultPlan,
  state: { held: number },
): Generator<TimedMessage> {
  const rng = Rng.create(plan.seed, 'faults');
  const pending = new EventQueue<Pending>();
  const eligible = plan.kinds.filter((k) => k !== 'silence');
  const silences = plan.silences ?? [];
  const isMessageFault = (k: FaultKind): k is MessageFault =>
    (MESSAGE_FAULTS as readonly string[]).includes(k);

  const silent = (sensorId: string, at: number) =>
    silences.some((s) => s.sensorId === sensorId && at >= s.from && at < s.to);

  function* due(until: number): Generator<TimedMessage> {
    for (let next = pending.peek(); next && next.at <= until; next = pending.peek()) {
      const { message, delayed } = pending.pop()!.run()!;
      // A silent sensor also holds back what it would have sent late or again.
      if (!silent(message.subject.split('.')[4] ?? '', message.at)) yield message;
      // Past the yield only when the reader asks for more, i.e. has sent this one.
      if (delayed) state.held--;
    }
  }
  const send = (message: TimedMessage, delayed = false) => {
    if (delayed) state.held++;
    pending.schedule(message.at, () => ({ message, delayed }));
  };

  for (const event of events) {
    const at = Date.parse(event.observedAt);
    yield* due(at);
    if (silent(event.sensorId, at)) continue;
    const message = toTimedMessage(event);
    const options = eligible.filter((k) => faultApplies(k, event));
    if (options.length === 0 || !rng.chance(plan.rate)) {
      send(message);
      continue;
    }
    const fault = rng.pick(options);
    if (isMessageFault(fault)) {
      const offset = plan.receivedAt ? plan.receivedAt(at) - at : 0;
      const skew = fault === 'skew-ahead' || fault === 'skew-behind';
      const base = skew && offset !== 0 ? shiftEvent(event, offset) : event;
      send({ ...applyFault(fault, base, rng), at, fault });
    } else if (fault === 'duplicate') {
      send(message);
      send({ ...message, at: at + Math.round(rng.uniform(0.2, 180) * SECOND_MS), fault }, true);
    } else if (fault === 'late') {
      send({ ...message, at: at + Math.round(rng.uniform(30, 600) * SECOND_MS), fault }, true);
    } else if (fault === 'reorder') {
      send({ ...message, at: at + Math.round(rng.uniform(1, 5) * SECOND_MS), fault }, true);
    }
  }
  yield* due(Infinity);
}
