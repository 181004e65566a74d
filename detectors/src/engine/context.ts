import type { DetectorParams } from '../params';
import { raise, type AlertChange, type AlertDraft, type BookContext } from './alert-book';
import { sensorsWithGaps } from './clock';
import { detaineesIn } from './custody';
import type { LaneState } from './lane-state';
import type { SiteView } from './site-view';
import type { EpochMs } from './time';

/** What a rule sees while it handles one event or timer: the site, its parameters and the lane's state. */
export interface RuleContext {
  readonly view: SiteView;
  readonly params: DetectorParams;
  readonly lane: LaneState;
  readonly bc: BookContext;
  raise(draft: AlertDraft): void;
  /** Sensors covering the zone that were offline, faulty or degraded at some time in [from, to]. */
  gaps(zoneId: string, from: EpochMs, to: EpochMs): string[];
}

export function createContext(
  view: SiteView,
  params: DetectorParams,
  lane: LaneState,
  out: AlertChange[],
): RuleContext {
  const bc: BookContext = {
    book: lane.book,
    siteId: lane.siteId,
    exercise: lane.exercise,
    lifecycle: params.lifecycle,
    detaineesIn: (cellId, t) => detaineesIn(lane.custody, cellId, t),
    out,
  };
  return {
    view,
    params,
    lane,
    bc,
    raise: (draft) => raise(bc, draft),
    gaps: (zoneId, from, to) => sensorsWithGaps(lane.clock, view.sensorsCovering(zoneId), from, to),
  };
}
