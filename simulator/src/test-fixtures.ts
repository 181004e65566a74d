// Fixtures for the simulator's unit tests only; index.ts does not export this file.
import {
  indexSite,
  sensorSubject,
  validateSensorMessage,
  type SensorEvent,
  type SiteIndex,
  type SiteModel,
  type Verdict,
} from '@wachtpost/contracts';
import { encodeJson } from './messages/message';
import type { Clock } from './run/pacer';
import { loadSiteFile } from './site-file';

let demo: SiteModel | undefined;
export function demoSite(): SiteModel {
  demo ??= loadSiteFile();
  return demo;
}

let demoIndex: SiteIndex | undefined;
export function demoSiteIndex(): SiteIndex {
  demoIndex ??= indexSite(demoSite());
  return demoIndex;
}

/** A fixed start for generated traffic: tests never read the clock. */
export const T0 = Date.parse('2026-03-01T00:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** What ingest would decide for bytes on a subject received at `now`. */
export function verdict(subject: string, data: Uint8Array, now: number): Verdict {
  return validateSensorMessage(subject, data, { sites: new Map([['demo', demoSiteIndex()]]), now });
}

/** What ingest would decide for an event sent as a well-behaved gateway sends it, received 50 ms later. */
export function verdictOf(event: SensorEvent): Verdict {
  return verdict(sensorSubject(event), encodeJson(event), Date.parse(event.observedAt) + 50);
}

/** A clock that only moves when something sleeps, so a run that waits hours takes none; `slept` lists the waits. */
export function fakeClock(start: number): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}
