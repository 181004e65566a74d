import type { Alert } from '@wachtpost/contracts';
import { z } from 'zod';
import type { ConsoleFields } from '../alerts/alert-queries';
import type { HealthProblem } from './pipeline-health';

/**
 * `alert`: one change. CONTRACT.md section 3: a client receives `alert` with the alert state, so the contract's
 * Alert is the payload itself; the console's own fields (its ALERTS stream sequence, console fields, the
 * operator action behind the revision) ride beside the Alert's fields, none of which they share a name with.
 */
export type AlertPush = Alert & {
  seq: number;
  console: ConsoleFields;
  /** The operator action behind this revision, when there was one. */
  action?: { action: string; actor: string };
};

export interface ServerToClientEvents {
  alert: (push: AlertPush) => void;
  /** Live from here: every change after `seq` follows. Sent after connecting and after every resume. */
  ready: (info: { seq: number }) => void;
  /** The client fell too far behind (or asked for history the stream no longer has): resume from `afterSeq`. */
  resync: (info: { afterSeq: number; reason: 'slow-client' | 'too-old' }) => void;
  /** Why the board may be missing alerts (empty when nothing is wrong): on connecting and on every change. */
  health: (info: { problems: HealthProblem[] }) => void;
}

export type ResumeAck = (
  result: { ok: true; seq: number; replayed: number } | { ok: false; error: string },
) => void;

export interface ClientToServerEvents {
  resume: (request: { afterSeq: number }, ack?: ResumeAck) => void;
}

export const ResumeRequest = z.strictObject({ afterSeq: z.number().int().min(0) });

/** Which alerts a socket wants (handshake `auth`): a site, a wing of it, or everything. */
export const Subscription = z.strictObject({
  siteId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
  wingId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
  afterSeq: z.number().int().min(0).optional(),
});
