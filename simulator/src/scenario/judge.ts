import type { Alert } from '@wachtpost/contracts';
import type { CompiledExpectation } from './compile';
import { formatDuration } from './times';

export type Verdict = 'met' | 'late' | 'missed' | 'pending';

export interface ExpectationResult {
  index: number;
  after: string;
  rule: string;
  /** The key, or the matcher written out (`wing=a cell=a-05`). */
  target: string;
  severity?: string;
  status?: string;
  withinMs: number;
  verdict: Verdict;
  alertId?: string;
  rev?: number;
  /** Event time from the triggering step to the matching revision (its `updatedAt`). */
  latencyMs?: number;
  /** Wall-clock milliseconds from the run's start to the revision's arrival. */
  arrivedAfterMs?: number;
}

export interface JudgeSummary {
  met: number;
  late: number;
  missed: number;
  pending: number;
}

const targetOf = (e: CompiledExpectation): string =>
  e.key ??
  Object.entries(e.match ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** Whether an alert revision is the one an expectation waits for. */
export function matches(e: CompiledExpectation, siteId: string, alert: Alert): boolean {
  if (!alert.exercise || alert.siteId !== siteId || alert.rule !== e.rule) return false;
  if (e.severity && alert.severity !== e.severity) return false;
  if (e.status && alert.status !== e.status) return false;
  if (e.key !== undefined) {
    const id = `${siteId}.exercise:${e.rule}:${e.key}`;
    if (alert.alertId !== id && !alert.alertId.startsWith(`${id}#`)) return false;
  }
  const m = e.match;
  if (m?.wing && alert.wingId !== m.wing) return false;
  if (m?.cell && !alert.cellIds.includes(m.cell)) return false;
  if (m?.detainee && !alert.detaineeIds.includes(m.detainee)) return false;
  if (m?.sensor && !alert.sensorIds.includes(m.sensor)) return false;
  return true;
}

/**
 * Judges a scenario's expectations against the alert revisions that arrive. Judged on event time, so a
 * verdict does not depend on the replay speed or the machine: an expectation is met when a matching
 * revision's `updatedAt` lies at most `within` after its step, late when it lies further after, and missed
 * when none has arrived when the run ends. The first matching revision decides. Pure.
 */
export class Judge {
  private readonly results: ExpectationResult[];
  private readonly others = new Set<string>();

  constructor(
    private readonly siteId: string,
    private readonly expectations: readonly CompiledExpectation[],
  ) {
    this.results = expectations.map((e) => ({
      index: e.index,
      after: e.after,
      rule: e.rule,
      target: targetOf(e),
      ...(e.severity && { severity: e.severity }),
      ...(e.status && { status: e.status }),
      withinMs: e.within,
      verdict: 'pending',
    }));
  }

  /** One alert revision, `arrivedAfterMs` after the run started. */
  observe(alert: Alert, arrivedAfterMs: number): void {
    let expected = false;
    this.expectations.forEach((e, i) => {
      if (!matches({ ...e, severity: undefined, status: undefined }, this.siteId, alert)) return;
      expected = true;
      const result = this.results[i]!;
      if (result.verdict !== 'pending' || !matches(e, this.siteId, alert)) return;
      const latencyMs = Date.parse(alert.updatedAt) - e.afterAt;
      Object.assign(result, {
        verdict: latencyMs <= e.within ? 'met' : 'late',
        alertId: alert.alertId,
        rev: alert.rev,
        latencyMs,
        arrivedAfterMs,
      });
    });
    if (!expected && alert.exercise && alert.siteId === this.siteId) this.others.add(alert.alertId);
  }

  /** Every expectation decided (met or late): nothing more to wait for. */
  settled(): boolean {
    return this.results.every((r) => r.verdict !== 'pending');
  }

  /** The results; `final` turns what is still pending into missed. */
  report(final = false): { expectations: ExpectationResult[]; summary: JudgeSummary; otherAlerts: string[] } {
    const expectations = this.results.map((r) =>
      final && r.verdict === 'pending' ? { ...r, verdict: 'missed' as const } : { ...r },
    );
    const count = (v: Verdict) => expectations.filter((r) => r.verdict === v).length;
    return {
      expectations,
      summary: { met: count('met'), late: count('late'), missed: count('missed'), pending: count('pending') },
      otherAlerts: [...this.others].sort(),
    };
  }
}

/** The verdict as the table shows it; in an interrupted run, what is still pending was never judged. */
const verdictLabel = (verdict: Verdict, interrupted: boolean) =>
  verdict === 'pending' && interrupted ? 'NOT JUDGED' : verdict.toUpperCase();

/** The report as a fixed-width table, for a terminal. */
export function formatTable(
  results: readonly ExpectationResult[],
  options: { interrupted?: boolean } = {},
): string {
  const rows = [
    ['#', 'after', 'rule', 'key / match', 'severity', 'within', 'result', 'latency', 'alert'],
    ...results.map((r) => [
      String(r.index),
      r.after,
      r.rule,
      r.target,
      [r.severity, r.status].filter(Boolean).join(' ') || '-',
      formatDuration(r.withinMs),
      verdictLabel(r.verdict, options.interrupted ?? false),
      r.latencyMs === undefined ? '-' : formatDuration(r.latencyMs),
      r.alertId ? `${r.alertId} rev ${r.rev}` : '-',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
