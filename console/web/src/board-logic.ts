// Pure board logic: order, filters, counters and the filters' choices.
import { SEVERITY_ORDER, STATUS_ORDER, type AlertEntry, type Severity, type SiteModel } from './types';

const statusRank: Record<string, number> = Object.fromEntries(STATUS_ORDER.map((s, i) => [s, i]));
const severityRank: Record<string, number> = Object.fromEntries(SEVERITY_ORDER.map((s, i) => [s, i]));

// Parsing 10,000 timestamps on every sort costs more than the sort: parse each alert revision once.
const times = new WeakMap<object, number>();
function timeOf(alert: AlertEntry['alert']): number {
  let t = times.get(alert);
  if (t === undefined) {
    t = Date.parse(alert.lastEventAt);
    times.set(alert, t);
  }
  return t;
}

/** Open before acknowledged before resolved, then critical first, then the newest activity first. */
export function compareAlerts(x: AlertEntry, y: AlertEntry): number {
  const a = x.alert;
  const b = y.alert;
  return (
    (statusRank[a.status] ?? 9) - (statusRank[b.status] ?? 9) ||
    (severityRank[a.severity] ?? 9) - (severityRank[b.severity] ?? 9) ||
    timeOf(b) - timeOf(a) ||
    (a.alertId < b.alertId ? 1 : a.alertId > b.alertId ? -1 : 0)
  );
}

/** The alert's wing as the site model names it (`Afdeling D (EBI)`); its id when the model lacks it. */
export function wingLabel(alert: Pick<AlertEntry['alert'], 'siteId' | 'wingId'>, sites: SiteModel[]): string {
  if (alert.wingId === undefined) return 'site-wide';
  const wing = sites.find((s) => s.id === alert.siteId)?.wings.find((w) => w.id === alert.wingId);
  return wing?.name ?? `wing ${alert.wingId}`;
}

export interface BoardFilters {
  siteId: string;
  wingId: string;
  rule: string;
  severity: string;
  status: string;
}

export const NO_FILTERS: BoardFilters = { siteId: '', wingId: '', rule: '', severity: '', status: '' };

/**
 * An empty filter value matches everything. An alert without a wing is site-wide: it matches the wing value
 * `site`, and every wing too, since it concerns them all (a drop over a yard several wings share, a radar
 * gone blind): an operator watching one wing must not filter it away.
 */
export function matches(entry: AlertEntry, f: BoardFilters): boolean {
  const a = entry.alert;
  return (
    (!f.siteId || a.siteId === f.siteId) &&
    (!f.wingId || a.wingId === undefined || a.wingId === f.wingId) &&
    (!f.rule || a.rule === f.rule) &&
    (!f.severity || a.severity === f.severity) &&
    (!f.status || a.status === f.status)
  );
}

export function visibleAlerts(entries: Iterable<AlertEntry>, f: BoardFilters): AlertEntry[] {
  const out: AlertEntry[] = [];
  for (const e of entries) if (matches(e, f)) out.push(e);
  return out.sort(compareAlerts);
}

export type SeverityCounts = Record<Severity, number>;

/** Open and acknowledged alerts per severity, among those given (already filtered). */
export function countBySeverity(entries: Iterable<AlertEntry>): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const { alert } of entries) if (alert.status !== 'resolved') counts[alert.severity]++;
  return counts;
}

export interface Choice {
  value: string;
  label: string;
}

/** The filters' choices: sites and wings from the site models and the alerts held, rules from the alerts. */
export function filterChoices(
  entries: Iterable<AlertEntry>,
  sites: readonly SiteModel[],
  siteId: string,
): { sites: Choice[]; wings: Choice[]; rules: Choice[] } {
  const siteChoices = new Map<string, string>(sites.map((s) => [s.id, s.name]));
  const wingChoices = new Map<string, string>();
  for (const s of sites) {
    if (siteId && s.id !== siteId) continue;
    for (const w of s.wings) wingChoices.set(w.id, siteId ? w.name : `${w.name} (${s.id})`);
  }
  const rules = new Set<string>();
  for (const { alert } of entries) {
    if (!siteChoices.has(alert.siteId)) siteChoices.set(alert.siteId, alert.siteId);
    if (!siteId || alert.siteId === siteId) {
      const wing = alert.wingId ?? 'site';
      if (!wingChoices.has(wing)) wingChoices.set(wing, wing === 'site' ? 'Site-wide only' : wing);
    }
    rules.add(alert.rule);
  }
  const sorted = (m: Map<string, string>) =>
    [...m].map(([value, label]) => ({ value, label })).sort((a, b) => a.value.localeCompare(b.value));
  return {
    sites: sorted(siteChoices),
    wings: sorted(wingChoices),
    rules: [...rules].sort().map((r) => ({ value: r, label: r })),
  };
}
