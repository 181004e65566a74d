/** Epoch milliseconds (UTC). The engine computes in these and writes ISO strings only into alerts. */
export type EpochMs = number;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const toMs = (instant: string): EpochMs => Date.parse(instant);

/**
 * The last few conversions, by the time's low bits: alerts write the same first, last and update times
 * over and over, and formatting a Date is far dearer than a lookup. Pure, so it cannot change a result.
 */
const ISO_SLOTS = 256;
const isoTimes = new Float64Array(ISO_SLOTS).fill(NaN);
const isoTexts = new Array<string>(ISO_SLOTS).fill('');

export function toIso(t: EpochMs): string {
  const slot = t & (ISO_SLOTS - 1);
  if (isoTimes[slot] === t) return isoTexts[slot]!;
  const text = new Date(t).toISOString();
  isoTimes[slot] = t;
  isoTexts[slot] = text;
  return text;
}

/** The fields that decide processing order: event time, then the sensor's seq, then stable ids. */
export interface OrderKey {
  t: EpochMs;
  seq: number;
  sensorId: string;
  eventId: string;
}

/**
 * Total order over events. Ties on observedAt are broken by seq (the contract's rule); sensor and event
 * ids make the order total so that any arrival order sorts to the same sequence.
 */
export function compareOrder(a: OrderKey, b: OrderKey): number {
  if (a.t !== b.t) return a.t - b.t;
  if (a.seq !== b.seq) return a.seq - b.seq;
  if (a.sensorId !== b.sensorId) return a.sensorId < b.sensorId ? -1 : 1;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  return 0;
}

export const minOf = (a: EpochMs | null, b: EpochMs): EpochMs => (a === null ? b : Math.min(a, b));
export const maxOf = (a: EpochMs | null, b: EpochMs): EpochMs => (a === null ? b : Math.max(a, b));
