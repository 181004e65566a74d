import type { GsmEvent, SearchEvent } from '@wachtpost/contracts';
import { entriesBetween } from '../engine/activity-log';
import type { RuleContext } from '../engine/context';
import { ddel, dget, dset, type Dict } from '../engine/dict';
import type { Evidence } from '../engine/evidence';
import { HOUR, toIso, toMs, type EpochMs } from '../engine/time';

/**
 * search-missed (high): a search of cell C finds no phone or SIM, and GSM activity in C follows within
 * `withinH` hours of its end. One alert per cell.
 */
export interface SearchMissedParams {
  withinH: number;
}

export const SEARCH_MISSED_DEFAULTS: SearchMissedParams = { withinH: 48 };

const RULE = 'search-missed';

interface Watch {
  searchId: string;
  eventId: string;
  endedAt: EpochMs;
  observedAt: EpochMs;
}

export interface SearchMissedState {
  /** Cell -> the latest search of it that found nothing. */
  watches: Dict<Watch>;
}

export const emptySearchMissed = (): SearchMissedState => ({ watches: {} });

export const foundDevice = (ev: SearchEvent, cellId: string) =>
  ev.findings.some((f) => f.cellId === cellId && (f.category === 'phone' || f.category === 'sim'));

export function onSearch(ctx: RuleContext, ev: SearchEvent): void {
  const state = ctx.lane.searchMissed;
  const endedAt = toMs(ev.endedAt);
  const withinMs = ctx.params[RULE].withinH * HOUR;
  for (const cell of new Set(ev.cellIds)) {
    const previous = dget(state.watches, cell);
    if (previous && previous.endedAt > endedAt) continue;
    if (foundDevice(ev, cell)) {
      ddel(state.watches, cell);
      continue;
    }
    const watch: Watch = {
      searchId: ev.searchId,
      eventId: ev.eventId,
      endedAt,
      observedAt: toMs(ev.observedAt),
    };
    dset(state.watches, cell, watch);
    // The search is reported after it ended; activity since then is already in the log.
    for (const e of entriesBetween(ctx.lane.activity, cell, endedAt, endedAt + withinMs)) {
      raiseMissed(ctx, cell, watch, [e[0], e[1]], e[4]);
    }
  }
}

export function onGsm(ctx: RuleContext, ev: GsmEvent, t: EpochMs): void {
  const watch = dget(ctx.lane.searchMissed.watches, ev.zoneId);
  if (!watch || t <= watch.endedAt || t > watch.endedAt + ctx.params[RULE].withinH * HOUR) return;
  raiseMissed(ctx, ev.zoneId, watch, [t, ev.eventId], ev.sensorId);
}

function raiseMissed(ctx: RuleContext, cell: string, watch: Watch, gsm: Evidence, sensorId: string): void {
  const wingId = ctx.view.wingOfCell(cell);
  ctx.raise({
    rule: RULE,
    key: cell,
    at: Math.max(gsm[0], watch.observedAt),
    severity: 'high',
    title: `Search of cell ${cell} missed a phone`,
    summary:
      `Search ${watch.searchId} of cell ${cell} ended ${toIso(watch.endedAt)} without finding a phone or SIM; ` +
      `GSM activity followed in the cell at ${toIso(gsm[0])}.`,
    ...(wingId !== undefined && { wingId }),
    cellIds: [cell],
    custody: [[cell, gsm[0]]],
    sensorIds: [sensorId],
    evidence: [[watch.endedAt, watch.eventId], gsm],
    fits: [`z:${cell}`],
  });
}

export function pruneSearchMissed(state: SearchMissedState, before: EpochMs, p: SearchMissedParams): void {
  for (const [cell, watch] of Object.entries(state.watches)) {
    if (watch.endedAt + p.withinH * HOUR < before) ddel(state.watches, cell);
  }
}
