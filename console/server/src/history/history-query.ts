import { z } from 'zod';

/** Comma-separated lists, as in the console's other list parameters. */
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
// Cell and detainee ids come from site models and the prison's administration: looser than tokens, still bounded.
const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be an id (letters, digits, _ . : -)');
const Time = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' });
const RuleId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a rule id');

/**
 * Exercise (simulator and drill) data is hidden unless asked for: `false` (the default) hides it, `include`
 * shows both, `only` shows nothing else.
 */
export const Exercise = z.enum(['false', 'include', 'only']).default('false');
export type Exercise = z.infer<typeof Exercise>;

export const EVENT_KINDS = ['drone', 'gsm', 'search', 'roster', 'heartbeat'] as const;
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

const range = { from: Time.optional(), to: Time.optional() };
const page = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(500).optional(),
};
const format = { format: z.enum(['json', 'csv']).default('json') };

const fromBeforeTo = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to);
const RANGE_MESSAGE = { message: 'must be before to', path: ['from'] };

const eventFilters = {
  ...range,
  siteId: Token.optional(),
  wingId: Token.optional(),
  cellId: Id.optional(),
  kind: csv(z.enum(EVENT_KINDS)).optional(),
  sensorId: Token.optional(),
  detaineeId: Id.optional(),
  exercise: Exercise,
};
const alertFilters = {
  ...range,
  siteId: Token.optional(),
  wingId: Token.optional(),
  cellId: Id.optional(),
  rule: csv(RuleId).optional(),
  severity: csv(z.enum(SEVERITIES)).optional(),
  status: csv(z.enum(['open', 'acknowledged', 'resolved'])).optional(),
  detaineeId: Id.optional(),
  exercise: Exercise,
};
const searchFilters = {
  ...range,
  siteId: Token.optional(),
  wingId: Token.optional(),
  cellId: Id.optional(),
  detaineeId: Id.optional(),
  // true: only searches that found something; false: only those that found nothing.
  found: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  exercise: Exercise,
};

// strictObject: a misspelt filter answers 400 instead of silently returning everything.
export const EventFilter = z.strictObject(eventFilters).refine(fromBeforeTo, RANGE_MESSAGE);
export type EventFilter = z.infer<typeof EventFilter>;
export const EventPageQuery = z
  .strictObject({ ...eventFilters, ...page, ...format })
  .refine(fromBeforeTo, RANGE_MESSAGE);

export const AlertFilter = z.strictObject(alertFilters).refine(fromBeforeTo, RANGE_MESSAGE);
export type AlertFilter = z.infer<typeof AlertFilter>;
export const AlertPageQuery = z
  .strictObject({ ...alertFilters, ...page, ...format })
  .refine(fromBeforeTo, RANGE_MESSAGE);

export const SearchFilter = z.strictObject(searchFilters).refine(fromBeforeTo, RANGE_MESSAGE);
export type SearchFilter = z.infer<typeof SearchFilter>;
export const SearchPageQuery = z
  .strictObject({ ...searchFilters, ...page, ...format })
  .refine(fromBeforeTo, RANGE_MESSAGE);

export const BUCKETS = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '1d': 86_400_000,
} as const;
export type BucketName = keyof typeof BUCKETS;

// `format=csv` answers the chart as a CSV attachment, as the `.csv` routes do.
const chartBase = { ...range, siteId: Token.optional(), exercise: Exercise, ...format };

export const VolumeQuery = z
  .strictObject({
    ...chartBase,
    wingId: Token.optional(),
    kind: csv(z.enum(EVENT_KINDS)).optional(),
    rule: csv(RuleId).optional(),
    severity: csv(z.enum(SEVERITIES)).optional(),
    bucket: z.enum(Object.keys(BUCKETS) as [BucketName, ...BucketName[]]).optional(),
  })
  .refine(fromBeforeTo, RANGE_MESSAGE);
export type VolumeQuery = z.infer<typeof VolumeQuery>;

export const HeatmapQuery = z
  .strictObject({ ...chartBase, kind: csv(z.enum(EVENT_KINDS)).optional() })
  .refine(fromBeforeTo, RANGE_MESSAGE);
export type HeatmapQuery = z.infer<typeof HeatmapQuery>;

export const ChartQuery = z.strictObject(chartBase).refine(fromBeforeTo, RANGE_MESSAGE);
export type ChartQuery = z.infer<typeof ChartQuery>;

export const TimelineQuery = z
  .strictObject({
    ...range,
    siteId: Token.optional(),
    exercise: Exercise,
    // A page of items; `nextCursor` names the next one.
    limit: z.coerce.number().int().min(1).max(2000).default(500),
    cursor: page.cursor,
  })
  .refine(fromBeforeTo, RANGE_MESSAGE);
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export const DetaineeId = Id;
