/**
 * The detectors' rule ids: every alert's `rule` is one of them and the metrics are labelled with them.
 * CONTRACT.md section 3 types `rule` as a string and does not list them yet (proposed: an enum there). No imports, so the console web app can take the values without
 * bundling zod (`@wachtpost/contracts/rule-ids`).
 */
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
