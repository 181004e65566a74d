import type { SearchEvent } from '@wachtpost/contracts';
import { activeRecords, resolveRecord } from '../engine/alert-book';
import type { RuleContext } from '../engine/context';
import { toMs } from '../engine/time';
import { CONFIRMABLE_RULES } from './rule-ids';
import { foundDevice } from './search-missed';

/**
 * Closes the loop from detection to search: a search that finds a phone or SIM in cell C resolves the
 * open contraband-delivery, persistent-phone and phone-follows-detainee alerts on C as confirmed. The
 * outcome travels with the change so the runtime can store it for precision statistics. Alerts that
 * started after the search ended are about something else and stay open, and so does a wing's
 * contraband-delivery alert while cells it names were not searched, and a phone-follows-detainee alert
 * when the phone was found in the cell the detainee left.
 */
export function onSearch(ctx: RuleContext, ev: SearchEvent): void {
  const endedAt = toMs(ev.endedAt);
  const at = toMs(ev.observedAt);
  const cells = [...new Set(ev.findings.map((f) => f.cellId))].filter((c) => foundDevice(ev, c)).sort();
  // A delivery brings several phones (about two per package) to a wing: one found in one of the cells the
  // alert names does not account for the others, so the wing's alert stays open until all were searched.
  const searched = new Set([...ev.cellIds, ...cells]);
  for (const cell of cells) {
    const confirmed = activeRecords(ctx.bc)
      .filter(
        (r) =>
          CONFIRMABLE_RULES.has(r.rule) &&
          r.alert.cellIds.includes(cell) &&
          r.firstMs <= endedAt &&
          (r.rule !== 'contraband-delivery' || r.alert.cellIds.every((c) => searched.has(c))) &&
          // A phone found in A, where the phone was said to have stopped, does not confirm that it followed
          // the detainee: only a find where it turned up after the move (the cells the alert fits) does.
          (r.rule !== 'phone-follows-detainee' || r.fits.includes(`z:${cell}`)),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const rec of confirmed) {
      resolveRecord(ctx.bc, rec, at, {
        result: 'confirmed',
        searchId: ev.searchId,
        eventId: ev.eventId,
        cellId: cell,
      });
    }
  }
}
