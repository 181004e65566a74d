import type { SensorEvent, SiteModel } from '@wachtpost/contracts';
import { generateEvents } from '../generator/generate';
import { mergeByObservedAt } from '../generator/merge';
import { withFaults, type FaultStream, type Silence } from '../messages/fault-stream';
import type { FaultKind } from '../messages/faults';
import { toTimedMessage } from '../messages/message';

export interface TrafficOptions {
  seed: number;
  from: number;
  intensity?: number;
  exercise?: boolean;
  firstFlightAt?: number;
}

/** The realistic traffic of every site, merged into one stream in observedAt order. */
export function siteTraffic(sites: readonly SiteModel[], options: TrafficOptions): Iterable<SensorEvent> {
  return mergeByObservedAt(
    sites.map((site) =>
      generateEvents({
        site,
        seed: options.seed,
        from: options.from,
        ...(options.intensity !== undefined && { intensity: options.intensity }),
        ...(options.exercise !== undefined && { exercise: options.exercise }),
        ...(options.firstFlightAt !== undefined && { firstFlightAt: options.firstFlightAt }),
      }),
    ),
  );
}

/** Faults as given on the command line: silences start relative to the start of the run. */
export interface FaultOptions {
  kinds: readonly FaultKind[];
  rate: number;
  silences: readonly { sensorId: string; afterS: number; forS: number }[];
}

/**
 * The messages to publish for the events; without faults nothing is ever held back. `receivedAt` maps a
 * simulated instant to the receiving clock (see FaultPlan), for a run whose simulated time is not real time.
 */
export function toMessages(
  events: Iterable<SensorEvent>,
  seed: number,
  start: number,
  faults?: FaultOptions,
  receivedAt?: (at: number) => number,
): FaultStream {
  if (!faults || (faults.kinds.length === 0 && faults.silences.length === 0)) {
    const messages = (function* () {
      for (const event of events) yield toTimedMessage(event);
    })();
    return { [Symbol.iterator]: () => messages, held: 0 };
  }
  const silences: Silence[] = faults.silences.map((s) => ({
    sensorId: s.sensorId,
    from: start + s.afterS * 1000,
    to: start + (s.afterS + s.forS) * 1000,
  }));
  return withFaults(events, {
    kinds: faults.kinds,
    rate: faults.rate,
    seed,
    silences,
    ...(receivedAt && { receivedAt }),
  });
}

/** The kind token of a sensor subject (sensors.v1.<site>.<kind>.<sensor>). */
export const kindOfSubject = (subject: string): string => subject.split('.')[3] ?? 'unknown';
