/** Rule ids are part of the contract: they appear in every alert and in the metrics. */
export const RULE_IDS = [
  'drone-incursion',
  'drone-drop',
  'contraband-delivery',
  'persistent-phone',
  'phone-follows-detainee',
  'search-missed',
  'detection-gap',
  'sensor-offline',
  'gsm-burst',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

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

/** Rules a search that finds a phone or SIM in one of the alert's cells confirms and resolves. */
export const CONFIRMABLE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'contraband-delivery',
  'persistent-phone',
  'phone-follows-detainee',
]);
