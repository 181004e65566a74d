// Which actions the detail page offers, by role and status (the server checks the same and answers 409/403).
import { canAct, OUTCOMES, type AlertStatus, type Outcome, type Role } from './types';

export type ActionName = 'acknowledge' | 'assign' | 'note' | 'resolve' | 'silence';

export function allowedActions(role: Role, status: AlertStatus): Set<ActionName> {
  if (!canAct(role)) return new Set();
  const allowed = new Set<ActionName>(['note', 'silence']);
  if (status === 'open') allowed.add('acknowledge');
  if (status !== 'resolved') {
    allowed.add('assign');
    allowed.add('resolve');
  }
  return allowed;
}

/** Rules about the sensors themselves: nothing to search for, and "confirmed" means a real fault. */
const SENSOR_RULES = new Set(['sensor-offline', 'detection-gap']);
/** Rules about drones: "confirmed" means the drone (or its drop) was really there. */
const DRONE_RULES = new Set(['drone-incursion', 'drone-drop']);

/**
 * The outcomes a resolve offers for an alert of `rule`, in words that fit it: "contraband found" means
 * nothing for a sensor gone silent. The values are the same for every rule (the precision statistics count them).
 */
export function outcomeChoices(rule: string): { value: Outcome; label: string }[] {
  const confirmed = SENSOR_RULES.has(rule)
    ? 'Confirmed (sensor fault or blind spot)'
    : DRONE_RULES.has(rule)
      ? 'Confirmed (drone or drop seen)'
      : 'Confirmed (contraband found)';
  const labels: Record<Outcome, string> = {
    confirmed,
    'false-positive': 'False positive',
    duplicate: 'Duplicate of another alert',
    'search-ordered': 'Search ordered',
  };
  return OUTCOMES.filter((o) => !(o === 'search-ordered' && SENSOR_RULES.has(rule))).map((o) => ({
    value: o,
    label: labels[o],
  }));
}
