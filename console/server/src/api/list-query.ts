import { z } from 'zod';

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(20));

const Token = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must match [a-z0-9][a-z0-9-]{0,62}');
const Time = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' });

/** The contract's list parameters (CONTRACT.md section 3); lists are comma-separated. */
const common = {
  siteId: Token.optional(),
  wingId: Token.optional(),
  from: Time.optional(),
  to: Time.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
};

// strictObject: a misspelt filter answers 400 instead of silently returning everything.
export const AlertListQuery = z.strictObject({
  ...common,
  status: csv(z.enum(['open', 'acknowledged', 'resolved'])).optional(),
  // For alerts, the kind is the rule that raised them.
  kind: csv(z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a rule id')).optional(),
  exercise: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

export const EventListQuery = z.strictObject({
  ...common,
  // For events, the status is a heartbeat's (CONTRACT.md section 1): only heartbeats carry one.
  status: csv(z.enum(['ok', 'degraded', 'fault'])).optional(),
  kind: csv(z.enum(['drone', 'gsm', 'search', 'roster', 'heartbeat'])).optional(),
  sensorId: Token.optional(),
});
export type EventListQuery = z.infer<typeof EventListQuery>;
