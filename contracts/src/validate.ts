import { z } from 'zod';
import { MAX_EVENT_BYTES, SensorEvent, referencedPlaces } from './sensor-event';
import type { SiteIndex } from './site-index';
import { parseSensorSubject } from './subjects';

export const REJECT_REASONS = ['json', 'schema', 'subject', 'site', 'zone', 'clock', 'size'] as const;
export const RejectReason = z.enum(REJECT_REASONS);
export type RejectReason = z.infer<typeof RejectReason>;

/** How far ahead of the receiving clock an observation may be. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** SENSORS keeps events this long; older observations are rejected as `clock`. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600_000;

export type Verdict =
  { ok: true; event: SensorEvent } | { ok: false; reason: RejectReason; detail: string; eventId?: string };

export interface ValidationContext {
  sites: ReadonlyMap<string, SiteIndex>;
  /** Receiving clock, epoch ms. */
  now: number;
  retentionMs?: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

function eventIdOf(body: unknown): string | undefined {
  const id = (body as { eventId?: unknown } | null)?.eventId;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

/**
 * Decides what happens to one message from `sensors.v1.>`: accepted with the parsed event, or rejected
 * with exactly one reason. Checks run cheapest-first: size, json, schema, subject, site, zone, clock.
 */
export function validateSensorMessage(subject: string, data: Uint8Array, ctx: ValidationContext): Verdict {
  if (data.byteLength > MAX_EVENT_BYTES) {
    return {
      ok: false,
      reason: 'size',
      detail: `${data.byteLength} bytes is over the ${MAX_EVENT_BYTES} byte limit`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(data));
  } catch (err) {
    return { ok: false, reason: 'json', detail: (err as Error).message };
  }
  const parsed = SensorEvent.safeParse(body);
  if (!parsed.success) {
    const eventId = eventIdOf(body);
    return { ok: false, reason: 'schema', detail: describeIssues(parsed.error), ...(eventId && { eventId }) };
  }
  const event = parsed.data;
  const reject = (reason: RejectReason, detail: string): Verdict => ({
    ok: false,
    reason,
    detail,
    eventId: event.eventId,
  });

  const fromSubject = parseSensorSubject(subject);
  if (!fromSubject.ok) return reject('subject', fromSubject.error);
  for (const field of ['siteId', 'kind', 'sensorId'] as const) {
    if (fromSubject.value[field] !== event[field]) {
      return reject(
        'subject',
        `body ${field} "${event[field]}" differs from subject's "${fromSubject.value[field]}"`,
      );
    }
  }

  const site = ctx.sites.get(event.siteId);
  if (!site) return reject('site', `unknown site "${event.siteId}"`);
  if (!site.sensors.has(event.sensorId)) {
    return reject('site', `site "${event.siteId}" lists no sensor "${event.sensorId}"`);
  }

  const { zoneIds, cellIds } = referencedPlaces(event);
  const unknownZone = zoneIds.find((id) => !site.zones.has(id));
  if (unknownZone !== undefined) return reject('zone', `site "${event.siteId}" has no zone "${unknownZone}"`);
  const unknownCell = cellIds.find((id) => !site.wingOfCell.has(id));
  if (unknownCell !== undefined) return reject('zone', `site "${event.siteId}" has no cell "${unknownCell}"`);

  const observedAt = Date.parse(event.observedAt);
  if (observedAt > ctx.now + MAX_CLOCK_AHEAD_MS) {
    return reject(
      'clock',
      `observedAt ${event.observedAt} is more than 5 minutes ahead of the receiving clock`,
    );
  }
  const retentionMs = ctx.retentionMs ?? DEFAULT_RETENTION_MS;
  if (observedAt < ctx.now - retentionMs) {
    return reject(
      'clock',
      `observedAt ${event.observedAt} is older than the ${retentionMs / 3600_000} h retention`,
    );
  }
  return { ok: true, event };
}
