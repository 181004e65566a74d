// Client-side shapes of the console server's answers (console/server/README.md). Only types come from
// @wachtpost/contracts: the web bundle needs no zod schemas at run time.
import type { Alert, AlertStatus, SensorEvent, Severity, SiteModel } from '@wachtpost/contracts';

export type { Alert, AlertStatus, SensorEvent, Severity, SiteModel };

export type Role = 'operator' | 'analyst' | 'tester' | 'admin';

export interface Session {
  username: string;
  role: Role;
  expiresAt: string;
}

/** The console's own fields beside a contract Alert (never inside it). */
export interface ConsoleFields {
  assignee?: string;
  silenced?: boolean;
}

export interface AlertEntry {
  alert: Alert;
  console: ConsoleFields;
}

export interface AlertPage {
  alerts: AlertEntry[];
  nextCursor: string | null;
}

export interface AlertRevision {
  rev: number;
  change: string;
  status: string;
  severity: string;
  updatedAt: string;
  /** When it was stored and published (wall clock); absent from older servers. */
  storedAt?: string;
  /** Raised or changed by evidence that came after the allowed lateness. */
  late?: true;
  /** Sensors offline or faulty during the alert's window. */
  incomplete?: string[];
  action?: { action: string; actor: string; detail: Record<string, unknown>; at: string };
}

export interface AlertDetail extends AlertEntry {
  history: AlertRevision[];
}

/** Why the board may be missing alerts, from the server (`health` on the live socket). */
export interface HealthProblem {
  code: 'feed' | 'detection-stopped' | 'detection-behind';
  message: string;
}

/** One change from the live socket, as the board keeps it. */
export interface AlertPush extends AlertEntry {
  seq: number;
  action?: { action: string; actor: string };
}

/** The live socket's `alert` payload: the contract Alert itself, the console's fields beside its own. */
export type LivePayload = Alert & Omit<AlertPush, 'alert'>;

export const OUTCOMES = ['confirmed', 'false-positive', 'duplicate', 'search-ordered'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Worst first: the board sorts and the counters read in this order. */
export const SEVERITY_ORDER = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const satisfies readonly Severity[];
export const STATUS_ORDER = ['open', 'acknowledged', 'resolved'] as const satisfies readonly AlertStatus[];

export const canRead = (role: Role): boolean => role !== 'tester';
export const canAct = (role: Role): boolean => role === 'operator' || role === 'admin';
