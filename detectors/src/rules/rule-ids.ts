import type { RuleId } from '@wachtpost/contracts';

// The ids themselves are contract (contracts/src/rule-ids.ts); what the engine does with each is here.
export { RULE_IDS, type RuleId } from '@wachtpost/contracts';

/**
 * Rules that need no window fire as events arrive; a control room cannot wait minutes for a drone. All
 * other rules run in event-time order behind the watermark.
 */
export const ARRIVAL_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'drone-incursion',
  'drone-drop',
  'sensor-offline',
]);

/** Rules whose condition ends by itself (the sensor returns): they resolve themselves, with flap damping. */
export const AUTO_RESOLVING_RULES: ReadonlySet<RuleId> = new Set<RuleId>(['sensor-offline']);

/**
 * Rules a search that finds a phone or SIM in one of the alert's cells confirms and resolves. A search-missed
 * alert asks for the cell to be searched again: the search that finds the phone is its answer.
 */
export const CONFIRMABLE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'contraband-delivery',
  'persistent-phone',
  'phone-follows-detainee',
  'search-missed',
]);
