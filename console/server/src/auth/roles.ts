import { z } from 'zod';

export const ROLES = ['operator', 'analyst', 'tester', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** What each capability needs; admin may do everything the other roles may. */
const CAPABILITIES = {
  // The live board and alert details.
  'alerts:read': ['operator', 'analyst', 'admin'],
  // Acknowledge, assign, note, resolve, silence.
  'alerts:act': ['operator', 'admin'],
  // History of sensor events (detainee-level data).
  'events:read': ['analyst', 'admin'],
  // The analysts' history: event, alert and search archives, CSV exports, charts, detainee timelines.
  'history:read': ['analyst', 'admin'],
  'simulator:control': ['tester', 'admin'],
  'users:manage': ['admin'],
  // Check a site model file against the contract and the loaded models (changing them needs a restart).
  'sites:manage': ['admin'],
  'audit:read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function may(role: Role, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(role);
}
