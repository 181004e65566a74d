import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MESSAGE_FAULTS, type MessageFault } from '../messages/faults';
import { DURATION_HINT, parseDuration, parseTime, TIME_HINT, type ScenarioTime } from './times';

const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'expected an id of letters, digits, "_", "." or "-"');
const Token = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an id matching [a-z0-9][a-z0-9-]{0,62}');

const Duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(String(value));
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: DURATION_HINT });
    return z.NEVER;
  }
  return ms;
});

const Time = z.string({ error: TIME_HINT }).transform((value, ctx): ScenarioTime => {
  const time = parseTime(value);
  if (!time) {
    ctx.addIssue({ code: 'custom', message: TIME_HINT });
    return z.NEVER;
  }
  return time;
});

const stepBase = { at: Time, id: Id.optional(), note: z.string().optional() };

/** The actions a timeline step can take; each step has exactly one of these keys. */
const STEPS = {
  drone: z.strictObject({
    ...stepBase,
    drone: Id,
    /** How long the drone hovers low over its target, reporting every `every`. */
    hover: Duration.default(40_000),
    every: Duration.default(5_000),
  }),
  phone: z.strictObject({
    ...stepBase,
    phone: Id,
    /** Moves the phone to this cell (from here on) before it calls. */
    cell: Token.optional(),
    activity: z.enum(['call', 'sms', 'data', 'registration', 'unknown']).default('call'),
    durationS: z.number().min(0).default(45),
  }),
  admit: z.strictObject({ ...stepBase, admit: Id, cell: Token }),
  move: z.strictObject({ ...stepBase, move: Id, to: Token }),
  release: z.strictObject({ ...stepBase, release: Id }),
  search: z.strictObject({
    ...stepBase,
    search: z.array(Token).min(1),
    type: z.enum(['cell-inspection', 'sweep', 'spitactie', 'targeted']).default('cell-inspection'),
    trigger: z.enum(['routine', 'intelligence', 'sensor-alert', 'incident']).default('routine'),
    findings: z
      .array(
        z.strictObject({
          category: z.enum(['phone', 'sim', 'charger', 'data-carrier', 'drugs', 'weapon', 'cash', 'other']),
          cell: Token,
          qty: z.number().int().min(1).default(1),
        }),
      )
      .default([]),
  }),
} as const;
export type StepKind = keyof typeof STEPS;
export const STEP_KINDS = Object.keys(STEPS) as StepKind[];
export type Step = { [K in StepKind]: z.output<(typeof STEPS)[K]> & { kind: K } }[StepKind];

const FAULTS = {
  /** The sensor sends nothing (heartbeats and events) after `from` and before `to`. */
  silent: z.strictObject({
    id: Id.optional(),
    silent: Token,
    from: Time,
    to: Time,
    /**
     * A buffered outage: the events it observes meanwhile are not lost but published at `to`, in observation
     * order with their own times, before anything else at that instant (a gateway forwarding its backlog).
     */
    forward: z.boolean({ error: 'expected true or false' }).default(false),
  }),
  /** The sensor's heartbeats in [from, to) report this status. */
  status: z.strictObject({
    id: Id.optional(),
    status: z.enum(['degraded', 'fault']),
    sensor: Token,
    from: Time,
    to: Time,
  }),
  /** Broken messages from the simulator's fault catalogue, sent at `at`. */
  message: z.strictObject({
    id: Id.optional(),
    // skew-ahead shifts an event's own time, which lies in the past in a scenario: not a clock fault here.
    message: z.enum(MESSAGE_FAULTS.filter((f) => f !== 'skew-ahead') as [MessageFault, ...MessageFault[]]),
    at: Time,
    sensor: Token.optional(),
    count: z.number().int().min(1).max(1000).default(1),
  }),
} as const;
export type FaultKindKey = keyof typeof FAULTS;
export type ScenarioFault = { [K in FaultKindKey]: z.output<(typeof FAULTS)[K]> & { kind: K } }[FaultKindKey];

const Expectation = z
  .strictObject({
    /** The id of the step or fault that should trigger the alert. */
    after: Id,
    rule: z.string().regex(/^[a-z0-9-]{1,64}$/, 'expected a rule id like "drone-drop"'),
    /** The alert's key (`<siteId>.exercise:<rule>:<key>`), or `match` on its fields. */
    key: z.string().min(1).optional(),
    match: z
      .strictObject({
        wing: Token.optional(),
        cell: Token.optional(),
        detainee: Id.optional(),
        sensor: Token.optional(),
      })
      .optional(),
    severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).optional(),
    status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
    within: Duration,
  })
  .refine((e) => e.key !== undefined || e.match !== undefined, {
    message: 'give key or match',
    path: ['key'],
  });
export type Expectation = z.output<typeof Expectation>;

const ScenarioFile = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  site: Token.default('demo'),
  seed: z.number().int().default(1),
  /** Every sensor of the site beats over the span; the watermark of the exercise lane moves with them. */
  span: z.strictObject({ from: Time, to: Time }),
  heartbeatEvery: Duration.default(3_600_000).refine((ms) => ms >= 1000 && ms <= 3_600_000, {
    message: 'expected a heartbeat interval from 1s to 1h',
  }),
  actors: z
    .strictObject({
      drones: z
        .record(
          Id,
          z.strictObject({
            sensor: Token,
            over: Token,
            altM: z.number().default(60),
            trackId: Id.optional(),
          }),
        )
        .default({}),
      phones: z
        .record(
          Id,
          z
            .strictObject({
              cell: Token.optional(),
              carriedBy: Id.optional(),
              deviceKey: z.string().min(1).optional(),
              sensor: Token.optional(),
              tech: z.enum(['2g', '4g', '5g', 'unknown']).default('4g'),
            })
            .refine((p) => (p.cell === undefined) !== (p.carriedBy === undefined), {
              message: 'give exactly one of cell or carriedBy',
              path: ['cell'],
            }),
        )
        .default({}),
      detainees: z.record(Id, z.strictObject({ cell: Token })).default({}),
    })
    .default({ drones: {}, phones: {}, detainees: {} }),
  timeline: z.array(z.record(z.string(), z.unknown())).default([]),
  faults: z.array(z.record(z.string(), z.unknown())).default([]),
  expect: z.array(Expectation).default([]),
});

export interface Scenario extends Omit<z.output<typeof ScenarioFile>, 'timeline' | 'faults'> {
  timeline: Step[];
  faults: ScenarioFault[];
}

export interface ScenarioIssue {
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`${source}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** `timeline[3].at`, as a reader would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): ScenarioIssue[] {
  return error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({
        path: formatPath([...prefix, ...i.path, k]),
        message: 'is not a known field',
      }));
    return [{ path: formatPath([...prefix, ...i.path]), message: i.message }];
  });
}

/** Which of `kinds` the object has as a key: exactly one, or an issue. */
function pickKind<K extends string>(
  item: Record<string, unknown>,
  kinds: readonly K[],
  path: string,
  issues: ScenarioIssue[],
): K | undefined {
  const found = kinds.filter((k) => k in item);
  if (found.length === 1) return found[0];
  issues.push({
    path,
    message:
      found.length === 0 ? `expected one of ${kinds.join(', ')}` : `give only one of ${found.join(', ')}`,
  });
  return undefined;
}

/** Validates a parsed document; issues name the bad path, e.g. `timeline[3].at: expected a time like "+2h"...`. */
export function validateScenario(doc: unknown, source: string): Scenario {
  const parsed = ScenarioFile.safeParse(doc);
  if (!parsed.success) throw new ScenarioError(source, issuesOf(parsed.error));
  const issues: ScenarioIssue[] = [];
  const timeline: Step[] = [];
  parsed.data.timeline.forEach((raw, i) => {
    const kind = pickKind(raw, STEP_KINDS, `timeline[${i}]`, issues);
    if (!kind) return;
    const step = STEPS[kind].safeParse(raw);
    if (!step.success) issues.push(...issuesOf(step.error, ['timeline', i]));
    else timeline.push({ ...step.data, kind } as Step);
  });
  const faults: ScenarioFault[] = [];
  parsed.data.faults.forEach((raw, i) => {
    const kinds = Object.keys(FAULTS) as FaultKindKey[];
    // `status` is also a field of other kinds' values, never a key elsewhere: the first match decides.
    const kind = pickKind(raw, kinds, `faults[${i}]`, issues);
    if (!kind) return;
    const fault = FAULTS[kind].safeParse(raw);
    if (!fault.success) issues.push(...issuesOf(fault.error, ['faults', i]));
    else faults.push({ ...fault.data, kind } as ScenarioFault);
  });
  const ids = new Map<string, string>();
  const claim = (id: string | undefined, path: string) => {
    if (id === undefined) return;
    const seen = ids.get(id);
    if (seen) issues.push({ path: `${path}.id`, message: `"${id}" is already the id of ${seen}` });
    else ids.set(id, path);
  };
  timeline.forEach((s, i) => claim(s.id, `timeline[${i}]`));
  faults.forEach((f, i) => claim(f.id, `faults[${i}]`));
  parsed.data.expect.forEach((e, i) => {
    if (!ids.has(e.after))
      issues.push({ path: `expect[${i}].after`, message: `no step or fault has the id "${e.after}"` });
  });
  if (issues.length > 0) throw new ScenarioError(source, issues);
  return { ...parsed.data, timeline, faults };
}

/** Parses a scenario file's text (YAML, or JSON, which is YAML too). */
export function parseScenario(text: string, source: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ScenarioError(source, [
      { path: '(root)', message: `not YAML: ${err instanceof Error ? err.message : String(err)}` },
    ]);
  }
  return validateScenario(doc, source);
}
