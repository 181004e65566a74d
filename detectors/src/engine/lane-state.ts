import { emptyContraband, type ContrabandState } from '../rules/contraband-delivery';
import { emptyGsmBurst, type GsmBurstState } from '../rules/gsm-burst';
import { emptyPhoneFollows, type PhoneFollowsState } from '../rules/phone-follows-detainee';
import { emptySearchMissed, type SearchMissedState } from '../rules/search-missed';
import { emptyActivity, type ActivityState } from './activity-log';
import { emptyBook, type AlertBook } from './alert-book';
import { emptyClock, type ClockState } from './clock';
import { emptyCustody, type CustodyState } from './custody';
import type { Dict } from './dict';
import { emptyDrones, type DroneState } from './drone-tracks';
import type { Pending } from './reorder-buffer';
import type { EpochMs } from './time';

export interface LaneStats {
  processed: number;
  /**
   * Events older than the watermark when they arrived: stored, counted, attached where they fit (GSM
   * activity may still make a contraband delivery).
   */
  late: number;
  duplicates: number;
}

/**
 * Everything the engine knows about one site's live traffic, or its exercise traffic: the two never
 * correlate together, so each has its own clock, custody, history and alerts. Plain JSON throughout.
 */
export interface LaneState {
  siteId: string;
  exercise: boolean;
  /** First event time seen: look-backs reaching before it are marked as based on short history. */
  firstAt: EpochMs | null;
  clock: ClockState;
  /** GSM, search and roster events waiting for the watermark, in event-time order, from `bufferHead` on. */
  buffer: Pending[];
  /**
   * Entries before this index are handled and wait to be cut off in one go: shifting one at a time off an
   * array of hundreds of thousands (two minutes of busy traffic) costs tens of microseconds each.
   */
  bufferHead: number;
  /** GSM, search and roster event id -> event time, to drop their redeliveries within the dedupe horizon. */
  seen: Dict<EpochMs>;
  /** The same ids in arrival order, so forgetting them is a cut from the front, not a scan. */
  seenOrder: [t: EpochMs, eventId: string][];
  custody: CustodyState;
  activity: ActivityState;
  drones: DroneState;
  contraband: ContrabandState;
  follows: PhoneFollowsState;
  searchMissed: SearchMissedState;
  bursts: GsmBurstState;
  book: AlertBook;
  /** Event time the ordered rules have reached (the last event or timer they handled). */
  orderedAt: EpochMs | null;
  prunedAt: EpochMs | null;
  stats: LaneStats;
}

/** The whole engine state: one lane per site and kind of traffic. */
export interface EngineState {
  v: 1;
  lanes: Dict<LaneState>;
}

export const laneId = (siteId: string, exercise: boolean) => `${siteId}/${exercise ? 'exercise' : 'live'}`;

export function emptyLane(siteId: string, exercise: boolean): LaneState {
  return {
    siteId,
    exercise,
    firstAt: null,
    clock: emptyClock(),
    buffer: [],
    bufferHead: 0,
    seen: {},
    seenOrder: [],
    custody: emptyCustody(),
    activity: emptyActivity(),
    drones: emptyDrones(),
    contraband: emptyContraband(),
    follows: emptyPhoneFollows(),
    searchMissed: emptySearchMissed(),
    bursts: emptyGsmBurst(),
    book: emptyBook(),
    orderedAt: null,
    prunedAt: null,
    stats: { processed: 0, late: 0, duplicates: 0 },
  };
}
