import * as contraband from '../rules/contraband-delivery';
import { attachLate } from './alert-book';
import type { RuleContext } from './context';
import { handleRoster, handleSearch, logGsm } from './ordered-path';
import type { OrderedEvent } from './reorder-buffer';
import { rememberedSince } from './progress';
import type { EpochMs } from './time';

/**
 * An event older than the watermark: its windows have closed. GSM activity still enters the history and
 * is attached to the open alerts it fits, and may still make a contraband delivery (a gateway back from an
 * outage forwards the call that followed a drop); searches and roster changes look back by design, so they
 * are handled as usual (a late search still confirms, a late roster correction still re-correlates).
 */
export function onLate(ctx: RuleContext, ev: OrderedEvent, t: EpochMs): void {
  switch (ev.kind) {
    case 'gsm':
      if (ctx.view.isAllowlisted(ev.deviceKey)) return;
      // Before the log has it, as on the ordered path; and before attachLate, which then finds the
      // evidence merged (by id) into the delivery alert and attaches it to that alert no second time.
      // Only within the dedupe horizon: an older event may be a repeat the engine no longer recognises, and
      // raising from it could open a second alert for a delivery already closed, so it is only attached.
      if (t >= (rememberedSince(ctx) ?? t)) contraband.onLateGsm(ctx, ev, t);
      logGsm(ctx, ev, t);
      attachLate(ctx.bc, `z:${ev.zoneId}`, [t, ev.eventId], ev.sensorId);
      return;
    case 'search':
      return handleSearch(ctx, ev);
    case 'roster':
      return handleRoster(ctx, ev, ctx.lane.orderedAt ?? t);
  }
}
