import type { SearchEvent } from '@wachtpost/contracts';
import { lastActivityBefore } from '../engine/activity-log';
import type { RuleContext } from '../engine/context';
import { DAY, toIso, toMs } from '../engine/time';

/**
 * detection-gap (low): a search finds a phone in a cell with no GSM activity in the `quietDays` days
 * before it: a coverage problem for the sensor team, not for the wing.
 */
export interface DetectionGapParams {
  quietDays: number;
}

export const DETECTION_GAP_DEFAULTS: DetectionGapParams = { quietDays: 30 };

const RULE = 'detection-gap';

export function onSearch(ctx: RuleContext, ev: SearchEvent): void {
  const p = ctx.params[RULE];
  const startedAt = toMs(ev.startedAt);
  const from = startedAt - p.quietDays * DAY;
  const cells = new Set(ev.findings.filter((f) => f.category === 'phone').map((f) => f.cellId));
  for (const cell of [...cells].sort()) {
    const last = lastActivityBefore(ctx.lane.activity, cell, startedAt);
    if (last !== null && last >= from) continue;
    const sensors = ctx.view.sensorsCovering(cell);
    const coverage =
      sensors.length === 0
        ? 'No GSM sensor covers the cell.'
        : `Covered by ${sensors.join(', ')}; check them.`;
    const heard = last === null ? 'never' : `last at ${toIso(last)}`;
    // A lane younger than the look-back cannot know the cell was quiet all that time.
    const young =
      ctx.lane.firstAt !== null && ctx.lane.firstAt > from ? ' History is shorter than the look-back.' : '';
    const wingId = ctx.view.wingOfCell(cell);
    ctx.raise({
      rule: RULE,
      key: cell,
      at: toMs(ev.observedAt),
      severity: 'low',
      title: `Phone found in cell ${cell} without GSM detection`,
      summary: `Search ${ev.searchId} found a phone in ${cell}; GSM activity there in the ${p.quietDays} days before: ${heard}. ${coverage}${young}`,
      ...(wingId !== undefined && { wingId }),
      cellIds: [cell],
      sensorIds: [...sensors],
      evidence: [[toMs(ev.observedAt), ev.eventId]],
      fits: [],
      incomplete: ctx.gaps(cell, from, startedAt),
    });
  }
}
