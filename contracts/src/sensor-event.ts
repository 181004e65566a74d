import { z } from 'zod';

/** Subject tokens (site and sensor ids) and wing ids, which appear in alert subjects. */
export const TOKEN_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** The largest message body a gateway may send. */
export const MAX_EVENT_BYTES = 64 * 1024;

export const SENSOR_EVENT_KINDS = ['drone', 'gsm', 'search', 'roster', 'heartbeat'] as const;
export const SensorEventKind = z.enum(SENSOR_EVENT_KINDS);
export type SensorEventKind = z.infer<typeof SensorEventKind>;

export const SiteId = z.string().regex(TOKEN_PATTERN, 'must match [a-z0-9][a-z0-9-]{0,62}');
export const SensorId = SiteId;
export const EventId = z.string().regex(EVENT_ID_PATTERN, 'must be 1-64 of [A-Za-z0-9_-]');
/** When a sensor observed something: RFC 3339 in UTC with exactly millisecond precision. */
export const ObservedAt = z.iso.datetime({ precision: 3, message: 'must be RFC 3339 UTC with milliseconds' });
/** Other instants (search times, roster effective times) may carry an offset and any precision. */
export const Instant = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' });

/**
 * Orders two RFC 3339 instants exactly (negative, zero or positive). Date.parse keeps milliseconds only, and
 * these instants may carry up to nanoseconds: 11:00:00.0001Z is before 11:00:00.0005Z, not equal to it. The
 * milliseconds go through Date.parse (which applies the offset), the digits beyond them are compared as text.
 */
function compareInstants(a: string, b: string): number {
  const [msA, belowA] = instantParts(a);
  const [msB, belowB] = instantParts(b);
  if (msA !== msB) return msA < msB ? -1 : 1;
  const digits = Math.max(belowA.length, belowB.length);
  const x = belowA.padEnd(digits, '0');
  const y = belowB.padEnd(digits, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Epoch milliseconds of an RFC 3339 instant and the fraction digits below the millisecond. */
function instantParts(text: string): [number, string] {
  let below = '';
  const msText = text.replace(/\.(\d+)/, (_, fraction: string) => {
    below = fraction.slice(3);
    return `.${fraction.slice(0, 3).padEnd(3, '0')}`;
  });
  return [Date.parse(msText), below];
}

const RssiDbm = z.number().min(-150).max(0);
const Angle = z.number().min(0).lt(360);
/**
 * Vendors send azimuths like -24.36 (MyDefence Argos); the contract normalises negatives into [0, 360) but,
 * like headingDeg, rejects 360 and above.
 */
const NormalisedBearing = z
  .number()
  .lt(360)
  .refine(Number.isFinite, 'must be a finite number')
  // Only negatives: (deg + 360) % 360 would add rounding noise to bearings already in range (24.36 -> 24.360000000000014).
  .transform((deg) => (deg < 0 ? ((deg % 360) + 360) % 360 : deg));

const envelope = {
  v: z.literal(1),
  eventId: EventId,
  siteId: SiteId,
  sensorId: SensorId,
  observedAt: ObservedAt,
  seq: z.number().int().min(0).optional(),
  exercise: z.boolean().default(false),
};

export const DroneEvent = z.object({
  ...envelope,
  kind: z.literal('drone'),
  trackId: z.string().min(1).max(128),
  phase: z.enum(['start', 'update', 'end']),
  detection: z.enum(['rf', 'radar', 'remote-id', 'vision', 'acoustic', 'fused']),
  category: z.enum(['drone', 'controller', 'unknown']).default('drone'),
  classification: z
    .object({
      model: z.string().max(200).optional(),
      protocol: z.string().max(200).optional(),
      confidence: z.number().min(0).max(1),
    })
    .optional(),
  position: z
    .object({
      lat: z.number().min(-90).max(90),
      lon: z.number().min(-180).max(180),
      altM: z.number().optional(),
      accuracyM: z.number().min(0).optional(),
    })
    .optional(),
  bearingDeg: NormalisedBearing.optional(),
  groundSpeedMps: z.number().optional(),
  climbMps: z.number().optional(),
  headingDeg: Angle.optional(),
  remoteId: z
    .object({
      uasId: z.string().min(1).max(64),
      operatorLat: z.number().min(-90).max(90).optional(),
      operatorLon: z.number().min(-180).max(180).optional(),
    })
    .optional(),
  rssiDbm: RssiDbm.optional(),
  freqMHz: z.number().gt(0).optional(),
});
export type DroneEvent = z.infer<typeof DroneEvent>;

export const GsmEvent = z.object({
  ...envelope,
  kind: z.literal('gsm'),
  zoneId: z.string().min(1).max(64),
  tech: z.enum(['2g', '4g', '5g', 'unknown']),
  band: z.string().max(32).optional(),
  rssiDbm: RssiDbm,
  durationS: z.number().min(0),
  activity: z.enum(['call', 'sms', 'data', 'registration', 'unknown']).default('unknown'),
  deviceKey: z.string().min(1).max(128).optional(),
});
export type GsmEvent = z.infer<typeof GsmEvent>;

export const FINDING_CATEGORIES = [
  'phone',
  'sim',
  'charger',
  'data-carrier',
  'drugs',
  'weapon',
  'cash',
  'other',
] as const;
export const Finding = z.object({
  category: z.enum(FINDING_CATEGORIES),
  qty: z.number().int().min(1),
  cellId: z.string().min(1).max(64),
  attributedTo: z.string().min(1).max(64).optional(),
  deviceKey: z.string().min(1).max(128).optional(),
});
export type Finding = z.infer<typeof Finding>;

export const SearchEvent = z
  .object({
    ...envelope,
    kind: z.literal('search'),
    searchId: z.string().min(1).max(128),
    type: z.enum(['cell-inspection', 'sweep', 'spitactie', 'targeted']),
    trigger: z.enum(['routine', 'intelligence', 'sensor-alert', 'incident']),
    alertIds: z.array(z.string().min(1).max(128)).optional(),
    cellIds: z.array(z.string().min(1).max(64)).min(1),
    startedAt: Instant,
    endedAt: Instant,
    occupants: z.array(z.string().min(1).max(64)).optional(),
    findings: z.array(Finding),
  })
  .refine((e) => compareInstants(e.endedAt, e.startedAt) >= 0, {
    message: 'endedAt must not be before startedAt',
    path: ['endedAt'],
  });
export type SearchEvent = z.infer<typeof SearchEvent>;

export const RosterEvent = z
  .object({
    ...envelope,
    kind: z.literal('roster'),
    detaineeId: z.string().min(1).max(64),
    action: z.enum(['admit', 'move', 'release']),
    cellId: z.string().min(1).max(64).optional(),
    effectiveAt: Instant,
  })
  .refine((e) => e.action === 'release' || e.cellId !== undefined, {
    message: 'cellId is required for admit and move',
    path: ['cellId'],
  });
export type RosterEvent = z.infer<typeof RosterEvent>;

export const HeartbeatEvent = z.object({
  ...envelope,
  kind: z.literal('heartbeat'),
  status: z.enum(['ok', 'degraded', 'fault']),
  intervalS: z.number().min(1).max(3600),
  detail: z.string().max(500).optional(),
});
export type HeartbeatEvent = z.infer<typeof HeartbeatEvent>;

export const SensorEvent = z.discriminatedUnion('kind', [
  DroneEvent,
  GsmEvent,
  SearchEvent,
  RosterEvent,
  HeartbeatEvent,
]);
export type SensorEvent = z.infer<typeof SensorEvent>;
/** What a gateway may send: defaults (exercise, category, activity) may be left out. */
export type SensorEventInput = z.input<typeof SensorEvent>;

export interface ReferencedPlaces {
  readonly zoneIds: readonly string[];
  readonly cellIds: readonly string[];
}
/** Shared by every event that names no place (drones and heartbeats: nearly all traffic). */
const NO_PLACES: ReferencedPlaces = Object.freeze({ zoneIds: Object.freeze([]), cellIds: Object.freeze([]) });

/** The zones and cells an event names; the validator checks each against the site model. */
export function referencedPlaces(event: SensorEvent): ReferencedPlaces {
  switch (event.kind) {
    case 'gsm':
      return { zoneIds: [event.zoneId], cellIds: [] };
    case 'search':
      return { zoneIds: [], cellIds: [...event.cellIds, ...event.findings.map((f) => f.cellId)] };
    case 'roster':
      return { zoneIds: [], cellIds: event.cellId === undefined ? [] : [event.cellId] };
    default:
      return NO_PLACES;
  }
}
