import { attachLate } from './alert-book';
import type { RuleContext } from './context';
import { handleRoster, handleSearch, logGsm } from './ordered-path';
import type { OrderedEvent } from './reorder-buffer';
import type { EpochMs } from './time';

/**
 * An event older than the watermark: its windows have closed. GSM activity still enters the history and
 * is attached to the open alerts it fits; searches and roster changes look back by design, so they are
 * handled as usual (a late search still confirms, a late roster correction still re-correlates).
 */
export function onLate(ctx: RuleContext, ev: OrderedEvent, t: EpochMs): void {
  switch (ev.kind) {
    case 'gsm':
      if (ctx.view.isAllowlisted(ev.deviceKey)) return;
      logGsm(ctx, ev, t);
      attachLate(ctx.bc, `z:${ev.zoneId}`, [t, ev.eventId], ev.sensorId);
      return;
    case 'search':
      return handleSearch(ctx, ev);
    case 'roster':
      return handleRoster(ctx, ev, ctx.lane.orderedAt ?? t);
  }
}
