// Which actions the detail page offers, by role and status (the server checks the same and answers 409/403).
import { canAct, type AlertStatus, type Role } from './types';

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
