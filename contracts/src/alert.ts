import { z } from 'zod';
import { EventId, Instant, SiteId } from './sensor-event';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** The full current state of an alert, published on every change (CONTRACT.md section 3). */
export const Alert = z.object({
  v: z.literal(1),
  alertId: z.string().min(1).max(128),
  rev: z.number().int().min(1),
  rule: z.string().min(1),
  severity: Severity,
  status: AlertStatus,
  siteId: SiteId,
  wingId: z.string().optional(),
  cellIds: z.array(z.string()),
  detaineeIds: z.array(z.string()),
  sensorIds: z.array(z.string()),
  title: z.string(),
  summary: z.string(),
  firstEventAt: Instant,
  lastEventAt: Instant,
  count: z.number().int().min(1),
  evidence: z.array(EventId),
  openedAt: Instant,
  updatedAt: Instant,
  exercise: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;
