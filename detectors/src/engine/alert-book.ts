import { SEVERITIES, type Alert, type Severity } from '@wachtpost/contracts';
import { AUTO_RESOLVING_RULES, type RuleId } from '../rules/rule-ids';
import { alertIdFor } from './alert-ids';
import { ddel, dget, dset, type Dict } from './dict';
import { mergeEvidence, type Evidence } from './evidence';
import type { CustodyChange } from './custody';
import { MINUTE, SECOND, toIso, type EpochMs } from './time';

/** Lifecycle parameters shared by all rules. */
export interface LifecycleParams {
  /** After a resolve, new triggers on the same key within this many minutes join the resolved alert. */
  cooldownMin: number;
  /** This many opens of one key within `flapWindowMin` make it flapping. */
  flapCount: number;
  flapWindowMin: number;
  /** Repeats that change neither severity nor status are published at most once per this many seconds. */
  repeatEmitS: number;
  /** Evidence ids kept per alert (the count keeps the full number). */
  maxEvidence: number;
}

export const LIFECYCLE_DEFAULTS: LifecycleParams = {
  cooldownMin: 15,
  flapCount: 3,
  flapWindowMin: 60,
  repeatEmitS: 10,
  maxEvidence: 50,
};

export type ChangeKind =
  | 'opened'
  | 'updated'
  | 'escalated'
  | 'reopened'
  | 'acknowledged'
  | 'resolved'
  | 'recorrelated'
  | 'late-evidence';

/** Why an alert was resolved; stored by the runtime for precision statistics per rule, sensor and zone. */
export interface AlertOutcome {
  result: 'confirmed' | 'auto' | 'operator';
  /** For `confirmed`: the search that found the device. */
  searchId?: string;
  eventId?: string;
  cellId?: string;
}

/** One change to publish: the alert's full state after it, plus what the runtime needs to store. */
export interface AlertChange {
  alert: Alert;
  change: ChangeKind;
  previousSeverity?: Severity;
  outcome?: AlertOutcome;
  /** Sensors that were offline, faulty or degraded during the alert's window: its correlation is incomplete. */
  incomplete?: string[];
  /** The change comes from evidence that arrived after the allowed lateness (attached, or raised from it). */
  late?: boolean;
}

/** A cell and an instant whose occupants the alert names (custody as of the evidence's time). */
export type CustodyRef = [cellId: string, t: EpochMs];

/** What a rule asks for: the lifecycle decides whether that opens, updates or is absorbed. */
export interface AlertDraft {
  rule: RuleId;
  key: string;
  /** Event time of the trigger (event, timer or watermark). */
  at: EpochMs;
  severity: Severity;
  title: string;
  summary: string;
  wingId?: string;
  cellIds?: readonly string[];
  sensorIds?: readonly string[];
  /** Detainees named directly (a rule keyed by detainee). */
  detaineeIds?: readonly string[];
  /** Detainees named through custody at the evidence's time; re-evaluated when the roster is corrected. */
  custody?: readonly CustodyRef[];
  evidence: readonly Evidence[];
  /** Tokens (`z:<zone>`, `t:<track>`, `s:<sensor>`) a late event must match to be attached. */
  fits?: readonly string[];
  incomplete?: readonly string[];
  /**
   * Start of the episode the trigger belongs to (a drone's pass). Within the cool-down a resolved alert
   * absorbs triggers of an episode under way when it was resolved; one that started after is new.
   */
  since?: EpochMs;
  /**
   * Raised from an event that came after the allowed lateness: each change goes out at once, marked
   * `late` (a new alert as `opened`, so it pages like any other; a fold as `late-evidence`).
   */
  late?: boolean;
}

export interface AlertRecord {
  id: string;
  rule: RuleId;
  key: string;
  alert: Alert;
  firstMs: EpochMs;
  lastMs: EpochMs;
  /** The newest evidence so far (time, then id): title, summary and wing follow the draft that brought it. */
  latest: Evidence;
  updatedMs: EpochMs;
  ev: Evidence[];
  refs: CustodyRef[];
  named: string[];
  fits: string[];
  summaryBase: string;
  incomplete: string[];
  /** Event time of the last published change; repeats are coalesced relative to it. */
  emittedAt: EpochMs;
  /** When a coalesced repeat is due for publication, null when nothing waits. */
  flushDue: EpochMs | null;
  flapping: boolean;
  /** A flapping alert resolves only after staying quiet; when that is due. */
  pendingResolveAt: EpochMs | null;
  resolvedAt: EpochMs | null;
}

export interface AlertBook {
  records: Dict<AlertRecord>;
  /** rule|key -> id of the latest occurrence. */
  current: Dict<string>;
  occurrences: Dict<number>;
  /** rule|key -> recent open and reopen times, for flap detection. */
  opens: Dict<EpochMs[]>;
  dirty: string[];
  pending: string[];
}

export const emptyBook = (): AlertBook => ({
  records: {},
  current: {},
  occurrences: {},
  opens: {},
  dirty: [],
  pending: [],
});

/** What the lifecycle needs from the lane it runs in. */
export interface BookContext {
  book: AlertBook;
  siteId: string;
  exercise: boolean;
  lifecycle: LifecycleParams;
  detaineesIn(cellId: string, t: EpochMs): readonly string[];
  out: AlertChange[];
}

const RANK = new Map(SEVERITIES.map((s, i) => [s, i]));
const rank = (s: Severity) => RANK.get(s) ?? 0;
const ruleKey = (rule: RuleId, key: string) => `${rule}|${key}`;
const sortedUnique = (list: readonly string[]): string[] => [...new Set(list)].sort();
/** Where `x` is or belongs in a sorted list (binary search: a drone incident can name thousands of tracks). */
function sortedIndex(list: readonly string[], x: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/**
 * Union of an already sorted, unique list and more items. Nothing new (the common repeat) returns the list
 * itself: the lists are replaced, never changed in place, and copying or re-sorting a long one per report
 * was quadratic. New items are inserted where they belong in one copy.
 */
const sortedUnion = (a: readonly string[], b: readonly string[] = []): string[] => {
  let out: string[] | undefined;
  for (const x of b) {
    const list = out ?? a;
    const i = sortedIndex(list, x);
    if (list[i] === x) continue;
    out ??= [...a];
    out.splice(i, 0, x);
  }
  return out ?? (a as string[]);
};
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const MAX_REFS = 50;

export function currentRecord(bc: BookContext, rule: RuleId, key: string): AlertRecord | undefined {
  const id = dget(bc.book.current, ruleKey(rule, key));
  return id === undefined ? undefined : dget(bc.book.records, id);
}

/** Opens an alert for the draft's rule and key, or folds the draft into the one that exists. */
export function raise(bc: BookContext, d: AlertDraft): void {
  const rec = currentRecord(bc, d.rule, d.key);
  if (!rec) return open(bc, d);
  if (rec.alert.status !== 'resolved') {
    if (rec.pendingResolveAt !== null) {
      // The condition came back while a flapping alert waited to resolve: it stays open.
      rec.pendingResolveAt = null;
      removeFrom(bc.book.pending, rec.id);
    }
    return fold(bc, rec, d);
  }
  const autoResolving = AUTO_RESOLVING_RULES.has(d.rule);
  const windowMs =
    autoResolving && isFlapping(bc, ruleKey(d.rule, d.key), d.at)
      ? bc.lifecycle.flapWindowMin * MINUTE
      : bc.lifecycle.cooldownMin * MINUTE;
  const inCooldown =
    rec.resolvedAt !== null &&
    d.at < rec.resolvedAt + windowMs &&
    (d.since === undefined || d.since <= rec.resolvedAt);
  if (!inCooldown || (!autoResolving && rank(d.severity) > rank(rec.alert.severity))) return open(bc, d);
  if (autoResolving) return reopen(bc, rec, d);
  // Within the cool-down the resolved alert absorbs the repeat: counted and kept, but no new page.
  if (absorb(bc, rec, d)) update(bc, rec, d);
}

function open(bc: BookContext, d: AlertDraft): void {
  const rk = ruleKey(d.rule, d.key);
  const occurrence = (dget(bc.book.occurrences, rk) ?? 0) + 1;
  dset(bc.book.occurrences, rk, occurrence);
  const id = alertIdFor(bc.siteId, bc.exercise, d.rule, d.key, occurrence);
  const ev: Evidence[] = [];
  const added = mergeEvidence(ev, d.evidence, bc.lifecycle.maxEvidence);
  const times = d.evidence.length > 0 ? d.evidence.map((e) => e[0]) : [d.at];
  const firstMs = Math.min(...times);
  const lastMs = Math.max(...times);
  const refs = d.custody ? [...d.custody].slice(-MAX_REFS) : [];
  const named = sortedUnique(d.detaineeIds ?? []);
  const rec: AlertRecord = {
    latest: latestOf(d),
    id,
    rule: d.rule,
    key: d.key,
    alert: {
      v: 1,
      alertId: id,
      rev: 0,
      rule: d.rule,
      severity: d.severity,
      status: 'open',
      siteId: bc.siteId,
      ...(d.wingId !== undefined && { wingId: d.wingId }),
      cellIds: sortedUnique(d.cellIds ?? []),
      detaineeIds: [],
      sensorIds: sortedUnique(d.sensorIds ?? []),
      title: d.title,
      summary: d.summary,
      firstEventAt: toIso(firstMs),
      lastEventAt: toIso(lastMs),
      count: Math.max(1, added),
      evidence: ev.map((e) => e[1]),
      openedAt: toIso(d.at),
      updatedAt: toIso(d.at),
      exercise: bc.exercise,
    },
    firstMs,
    lastMs,
    updatedMs: d.at,
    ev,
    refs,
    named,
    fits: withRecent([], d.fits),
    summaryBase: d.summary,
    incomplete: sortedUnique(d.incomplete ?? []),
    emittedAt: d.at,
    flushDue: null,
    flapping: false,
    pendingResolveAt: null,
    resolvedAt: null,
  };
  rec.alert.detaineeIds = detaineesOf(bc, rec);
  noteOpen(bc, rk, d.at);
  rec.flapping = AUTO_RESOLVING_RULES.has(d.rule) && isFlapping(bc, rk, d.at);
  rec.alert.summary = composeSummary(rec);
  dset(bc.book.records, id, rec);
  dset(bc.book.current, rk, id);
  emit(bc, rec, 'opened', d.at, lateMark(d));
}

function reopen(bc: BookContext, rec: AlertRecord, d: AlertDraft): void {
  const rk = ruleKey(rec.rule, rec.key);
  absorb(bc, rec, d);
  rec.alert.status = 'open';
  rec.resolvedAt = null;
  noteOpen(bc, rk, d.at);
  rec.flapping = isFlapping(bc, rk, d.at);
  if (rank(d.severity) > rank(rec.alert.severity)) rec.alert.severity = d.severity;
  rec.alert.summary = composeSummary(rec);
  emit(bc, rec, 'reopened', d.at, lateMark(d));
}

function fold(bc: BookContext, rec: AlertRecord, d: AlertDraft): void {
  const changed = absorb(bc, rec, d);
  if (rank(d.severity) > rank(rec.alert.severity)) {
    const previousSeverity = rec.alert.severity;
    rec.alert.severity = d.severity;
    // An escalation needs eyes again, even on an acknowledged alert.
    rec.alert.status = 'open';
    emit(bc, rec, 'escalated', d.at, { previousSeverity, ...lateMark(d) });
  } else if (changed) {
    update(bc, rec, d);
  }
}

const lateMark = (d: AlertDraft): Partial<AlertChange> => (d.late ? { late: true } : {});

/** A fold that changes neither severity nor status: late evidence goes out at once, as attachLate's does. */
function update(bc: BookContext, rec: AlertRecord, d: AlertDraft): void {
  if (d.late) emit(bc, rec, 'late-evidence', d.at, { late: true });
  else repeat(bc, rec, d.at);
}

/** Folds the draft's facts into the record; true when anything visible changed. */
function absorb(bc: BookContext, rec: AlertRecord, d: AlertDraft): boolean {
  const a = rec.alert;
  const before = {
    cellIds: a.cellIds,
    sensorIds: a.sensorIds,
    detaineeIds: a.detaineeIds,
    title: a.title,
    summary: a.summary,
    wingId: a.wingId,
  };
  const added = mergeEvidence(rec.ev, d.evidence, bc.lifecycle.maxEvidence);
  // A trigger without evidence (a sensor that never reported) still counts as one occurrence.
  const counted = d.evidence.length === 0 ? 1 : added;
  if (counted > 0) {
    a.count += counted;
    let firstMs = rec.firstMs;
    let lastMs = rec.lastMs;
    if (d.evidence.length === 0) {
      firstMs = Math.min(firstMs, d.at);
      lastMs = Math.max(lastMs, d.at);
    }
    for (const [t] of d.evidence) {
      firstMs = Math.min(firstMs, t);
      lastMs = Math.max(lastMs, t);
    }
    rec.firstMs = firstMs;
    rec.lastMs = lastMs;
    a.firstEventAt = toIso(rec.firstMs);
    a.lastEventAt = toIso(rec.lastMs);
    a.evidence = rec.ev.map((e) => e[1]);
  }
  a.cellIds = sortedUnion(a.cellIds, d.cellIds);
  a.sensorIds = sortedUnion(a.sensorIds, d.sensorIds);
  rec.fits = withRecent(rec.fits, d.fits);
  rec.incomplete = sortedUnion(rec.incomplete, d.incomplete);
  rec.named = sortedUnion(rec.named, d.detaineeIds);
  const fresh = d.custody ? addRefs(rec, d.custody) : NO_NEW_REFS;
  // Title, summary and wing follow the latest evidence (a drone alert follows its track), whatever the
  // order the drafts came in; ties on time are broken by event id.
  const latest = latestOf(d);
  if (!evidenceBefore(latest, rec.latest)) {
    rec.latest = latest;
    a.title = d.title;
    rec.summaryBase = d.summary;
    if (d.wingId !== undefined) a.wingId = d.wingId;
  }
  // The detainees so far are those of the record's refs (recorrelate keeps them so when the roster changes),
  // so only new refs need asking about; a trim of old refs needs them all asked again.
  if (fresh.trimmed) a.detaineeIds = detaineesOf(bc, rec);
  else if (fresh.added.length > 0 || d.detaineeIds)
    a.detaineeIds = sortedUnion(a.detaineeIds, [
      ...(d.detaineeIds ?? []),
      ...fresh.added.flatMap(([cellId, t]) => bc.detaineesIn(cellId, t)),
    ]);
  a.summary = composeSummary(rec);
  return (
    counted > 0 ||
    !sameList(before.cellIds, a.cellIds) ||
    !sameList(before.sensorIds, a.sensorIds) ||
    !sameList(before.detaineeIds, a.detaineeIds) ||
    before.title !== a.title ||
    before.summary !== a.summary ||
    before.wingId !== a.wingId
  );
}

const evidenceBefore = (a: Evidence, b: Evidence) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The draft's newest piece of evidence, or its trigger time for a draft without any. */
function latestOf(d: AlertDraft): Evidence {
  return d.evidence.reduce<Evidence>((a, e) => (evidenceBefore(a, e) ? e : a), d.evidence[0] ?? [d.at, '']);
}

/**
 * Tokens a late event may match, newest last, at most MAX_FITS: an incident that fuses drone tracks for hours
 * would otherwise carry every track it ever saw, and a late event only ever fits a recent one.
 */
const MAX_FITS = 256;
function withRecent(fits: readonly string[], added: readonly string[] = []): string[] {
  // Searched from the end: a repeat's token (its track, zone or sensor) is usually among the newest.
  let fresh: string[] | undefined;
  for (let i = 0; i < added.length; i++) {
    const token = added[i]!;
    if (fits.lastIndexOf(token) < 0 && added.indexOf(token) === i) (fresh ??= []).push(token);
  }
  if (fresh === undefined) return fits as string[];
  return [...fits, ...fresh].slice(-MAX_FITS);
}

const NO_NEW_REFS = { added: [], trimmed: false } as const;

/** Adds the refs the record lacks; says which were new and whether the oldest had to go to keep MAX_REFS. */
function addRefs(
  rec: AlertRecord,
  refs: readonly CustodyRef[],
): { added: readonly CustodyRef[]; trimmed: boolean } {
  const added: CustodyRef[] = [];
  for (const ref of refs) {
    if (rec.refs.some((r) => r[0] === ref[0] && r[1] === ref[1])) continue;
    rec.refs.push(ref);
    added.push(ref);
  }
  const trimmed = rec.refs.length > MAX_REFS;
  if (trimmed) rec.refs.splice(0, rec.refs.length - MAX_REFS);
  return { added, trimmed };
}

function detaineesOf(bc: BookContext, rec: AlertRecord): string[] {
  const ids = new Set(rec.named);
  for (const [cellId, t] of rec.refs) for (const d of bc.detaineesIn(cellId, t)) ids.add(d);
  return [...ids].sort();
}

function composeSummary(rec: AlertRecord): string {
  let summary = rec.summaryBase;
  if (rec.incomplete.length > 0)
    summary += ` Incomplete: sensor ${rec.incomplete.join(', ')} offline, faulty or degraded.`;
  if (rec.flapping) summary += ' Flapping: resolves after a quiet period.';
  return summary;
}

/** A repeat that changes neither severity nor status: published now or coalesced until due. */
function repeat(bc: BookContext, rec: AlertRecord, at: EpochMs): void {
  const due = rec.emittedAt + bc.lifecycle.repeatEmitS * SECOND;
  if (at >= due) {
    emit(bc, rec, 'updated', at, {});
  } else if (rec.flushDue === null) {
    rec.flushDue = due;
    bc.book.dirty.push(rec.id);
    lowerDueFloors(bc.book, due);
  }
}

/**
 * Bumps the record's revision and publishes it; with `adoptRev`, the revision was already stored and
 * published by another writer (the console, for an operator action): the record takes that number and
 * nothing is sent.
 */
function emit(
  bc: BookContext,
  rec: AlertRecord,
  change: ChangeKind,
  at: EpochMs,
  extra: Partial<AlertChange>,
  adoptRev?: number,
): void {
  const a = rec.alert;
  a.rev = adoptRev ?? a.rev + 1;
  rec.updatedMs = Math.max(rec.updatedMs, at);
  a.updatedAt = toIso(rec.updatedMs);
  // The adopted revision carries none of the engine's coalesced repeats: those stay due.
  if (adoptRev !== undefined) return;
  rec.emittedAt = Math.max(rec.emittedAt, at);
  if (rec.flushDue !== null) {
    rec.flushDue = null;
    removeFrom(bc.book.dirty, rec.id);
  }
  const out: AlertChange = { alert: snapshot(a), change, ...extra };
  if (rec.incomplete.length > 0) out.incomplete = [...rec.incomplete];
  bc.out.push(out);
}

function snapshot(a: Alert): Alert {
  return {
    ...a,
    cellIds: [...a.cellIds],
    detaineeIds: [...a.detaineeIds],
    sensorIds: [...a.sensorIds],
    evidence: [...a.evidence],
  };
}

function removeFrom(list: string[], id: string): void {
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
}

function noteOpen(bc: BookContext, rk: string, at: EpochMs): void {
  const opens = dget(bc.book.opens, rk) ?? [];
  opens.push(at);
  const horizon = at - bc.lifecycle.flapWindowMin * MINUTE;
  dset(
    bc.book.opens,
    rk,
    opens.filter((t) => t > horizon),
  );
}

function isFlapping(bc: BookContext, rk: string, at: EpochMs): boolean {
  const horizon = at - bc.lifecycle.flapWindowMin * MINUTE;
  const opens = (dget(bc.book.opens, rk) ?? []).filter((t) => t > horizon && t <= at);
  return opens.length >= bc.lifecycle.flapCount;
}

export function resolveRecord(
  bc: BookContext,
  rec: AlertRecord,
  at: EpochMs,
  outcome: AlertOutcome,
  adoptRev?: number,
): void {
  if (rec.alert.status === 'resolved') return;
  rec.alert.status = 'resolved';
  rec.resolvedAt = at;
  rec.flapping = false;
  if (rec.pendingResolveAt !== null) {
    rec.pendingResolveAt = null;
    removeFrom(bc.book.pending, rec.id);
  }
  rec.alert.summary = composeSummary(rec);
  emit(bc, rec, 'resolved', at, { outcome }, adoptRev);
}

/** The condition ended by itself; a flapping alert waits for a quiet flap window first. */
export function autoResolve(bc: BookContext, rule: RuleId, key: string, at: EpochMs): void {
  const rec = currentRecord(bc, rule, key);
  if (!rec || rec.alert.status === 'resolved') return;
  if (rec.flapping || isFlapping(bc, ruleKey(rule, key), at)) {
    if (rec.pendingResolveAt === null) bc.book.pending.push(rec.id);
    rec.pendingResolveAt = at + bc.lifecycle.flapWindowMin * MINUTE;
    return;
  }
  resolveRecord(bc, rec, at, { result: 'auto' });
}

/** Resolves flapping alerts whose quiet period has passed by `now`. */
export function resolvePending(bc: BookContext, now: EpochMs): void {
  for (const id of [...bc.book.pending]) {
    const rec = dget(bc.book.records, id);
    if (rec?.pendingResolveAt != null && rec.pendingResolveAt <= now) {
      resolveRecord(bc, rec, rec.pendingResolveAt, { result: 'auto' });
    }
  }
}

export function acknowledgeRecord(bc: BookContext, rec: AlertRecord, at: EpochMs, adoptRev?: number): void {
  if (rec.alert.status !== 'open') return;
  rec.alert.status = 'acknowledged';
  emit(bc, rec, 'acknowledged', at, {}, adoptRev);
}

export type OperatorAction = 'acknowledge' | 'assign' | 'note' | 'resolve' | 'silence';

/**
 * An operator's action on an alert. Without `consoleRev` the engine writes the revision itself. With it, the
 * console has already stored and published revision `consoleRev`: the record adopts that number (and the
 * status change) without sending anything, so its next revision follows the console's. If the engine has
 * meanwhile sent a revision of that number itself (it had not seen the action yet; the store kept the
 * console's), the status change goes out as the next revision instead, so the action is not undone.
 */
export function applyOperatorAction(
  bc: BookContext,
  rec: AlertRecord,
  action: OperatorAction,
  at: EpochMs,
  consoleRev?: number,
): void {
  const adopt = consoleRev !== undefined && consoleRev > rec.alert.rev ? consoleRev : undefined;
  if (action === 'acknowledge') acknowledgeRecord(bc, rec, at, adopt);
  else if (action === 'resolve') resolveRecord(bc, rec, at, { result: 'operator' }, adopt);
  // Assign, note and silence change no field of the contract alert: only the revision number moves on.
  if (adopt !== undefined) rec.alert.rev = Math.max(rec.alert.rev, adopt);
}

export function activeRecords(bc: BookContext): AlertRecord[] {
  return Object.values(bc.book.records).filter((r) => r.alert.status !== 'resolved');
}

/** Re-derives the detainees of open alerts on the given cells after the roster changed. */
export function recorrelate(bc: BookContext, change: CustodyChange, at: EpochMs): void {
  const { cells, from, to } = change;
  for (const rec of activeRecords(bc)) {
    if (!rec.refs.some(([cellId, t]) => t >= from && t < to && cells.includes(cellId))) continue;
    const detaineeIds = detaineesOf(bc, rec);
    if (sameList(detaineeIds, rec.alert.detaineeIds)) continue;
    rec.alert.detaineeIds = detaineeIds;
    emit(bc, rec, 'recorrelated', at, {});
  }
}

/** Attaches an event that came after the allowed lateness to every open alert it fits. */
export function attachLate(bc: BookContext, token: string, evidence: Evidence, sensorId: string): void {
  for (const rec of activeRecords(bc)) {
    if (!rec.fits.includes(token)) continue;
    if (mergeEvidence(rec.ev, [evidence], bc.lifecycle.maxEvidence) === 0) continue;
    const a = rec.alert;
    a.count += 1;
    rec.firstMs = Math.min(rec.firstMs, evidence[0]);
    rec.lastMs = Math.max(rec.lastMs, evidence[0]);
    a.firstEventAt = toIso(rec.firstMs);
    a.lastEventAt = toIso(rec.lastMs);
    a.evidence = rec.ev.map((e) => e[1]);
    a.sensorIds = sortedUnion(a.sensorIds, [sensorId]);
    emit(bc, rec, 'late-evidence', Math.max(rec.updatedMs, evidence[0]), { late: true });
  }
}

type RuleFilter = (rule: RuleId) => boolean;

/**
 * Per book and rule filter: no coalesced repeat the filter accepts is due before this time. A lower bound:
 * set by a scan of `dirty`, lowered whenever a repeat is scheduled (publishing one only raises the true
 * minimum), so the checks after every event skip the scan while nothing can be due. Never part of the
 * state: a restored book is a new object and starts with a scan. The filters are module constants.
 */
const dueFloors = new WeakMap<AlertBook, Map<RuleFilter, EpochMs>>();

function lowerDueFloors(book: AlertBook, due: EpochMs): void {
  const floors = dueFloors.get(book);
  if (!floors) return;
  for (const [filter, floor] of floors) if (due < floor) floors.set(filter, due);
}

/** Scans `dirty` for the earliest due repeat the filter accepts, and remembers it as the floor. */
function scanDue(book: AlertBook, arrival: RuleFilter): EpochMs | null {
  let due: EpochMs | null = null;
  const { dirty, records } = book;
  for (let i = 0; i < dirty.length; i++) {
    const rec = dget(records, dirty[i]!);
    if (rec?.flushDue != null && arrival(rec.rule) && (due === null || rec.flushDue < due))
      due = rec.flushDue;
  }
  let floors = dueFloors.get(book);
  if (!floors) dueFloors.set(book, (floors = new Map()));
  floors.set(arrival, due ?? Number.POSITIVE_INFINITY);
  return due;
}

/**
 * Earliest time a coalesced repeat of the given kind of rule is due, or null; with `before`, null also when
 * none is due before it.
 */
export function nextFlushDue(
  bc: BookContext,
  arrival: RuleFilter,
  before: EpochMs = Number.POSITIVE_INFINITY,
): EpochMs | null {
  const floor = dueFloors.get(bc.book)?.get(arrival);
  if (floor !== undefined && floor >= before) return null;
  return scanDue(bc.book, arrival);
}

/** Publishes coalesced repeats due at or before `upTo`, each stamped with its due time. */
export function flushDirty(bc: BookContext, upTo: EpochMs, arrival: (rule: RuleId) => boolean): void {
  // Called after every event: most of the time nothing is due, and the floor says so without a scan.
  const floor = dueFloors.get(bc.book)?.get(arrival);
  if (floor !== undefined && floor > upTo) return;
  const next = scanDue(bc.book, arrival);
  if (next === null || next > upTo) return;
  const due = bc.book.dirty
    .map((id) => dget(bc.book.records, id))
    .filter((r): r is AlertRecord => r?.flushDue != null && r.flushDue <= upTo && arrival(r.rule))
    .sort((a, b) => a.flushDue! - b.flushDue! || (a.id < b.id ? -1 : 1));
  for (const rec of due) emit(bc, rec, 'updated', rec.flushDue!, {});
}

const anyRule: RuleFilter = () => true;

/** Publishes every coalesced repeat now (tests, benchmarks, a final drain). */
export function flushAll(bc: BookContext): void {
  flushDirty(bc, Number.MAX_SAFE_INTEGER, anyRule);
}

/** Forgets resolved alerts once neither cool-down nor flap damping can need them. */
export function pruneBook(bc: BookContext, now: EpochMs): void {
  const keepMs = Math.max(bc.lifecycle.cooldownMin, bc.lifecycle.flapWindowMin) * MINUTE;
  for (const rec of Object.values(bc.book.records)) {
    if (rec.resolvedAt === null || rec.resolvedAt + keepMs >= now || rec.flushDue !== null) continue;
    ddel(bc.book.records, rec.id);
    const rk = ruleKey(rec.rule, rec.key);
    if (dget(bc.book.current, rk) === rec.id) ddel(bc.book.current, rk);
  }
  const horizon = now - bc.lifecycle.flapWindowMin * MINUTE;
  for (const [rk, opens] of Object.entries(bc.book.opens)) {
    const recent = opens.filter((t) => t > horizon);
    if (recent.length === 0) ddel(bc.book.opens, rk);
    else dset(bc.book.opens, rk, recent);
  }
}
