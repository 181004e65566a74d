import { formatTable } from './judge';
import type { ScenarioReport } from './run-scenario';

/**
 * What a report means beyond its counts: the run was interrupted, or it saw no alert at all, which is almost
 * always nothing consuming what it published rather than a detector at fault. Pure.
 */
export function reportNotes(report: ScenarioReport, natsUrl: string): string[] {
  const notes: string[] = [];
  if (report.aborted) {
    notes.push('interrupted before the end: expectations still open were not judged (not missed)');
  }
  if (report.alerts === 0) {
    notes.push(
      `no alert revision of site ${report.siteId} arrived on ALERTS during the run: are ingest and the ` +
        `detectors running (e.g. \`pnpm start\`) on the same NATS, ${natsUrl}?`,
    );
  }
  return notes;
}

/** The report as a terminal shows it: the table, a summary line, then the notes. */
export function formatReport(report: ScenarioReport, natsUrl: string): string {
  const { met, late, missed, pending } = report.summary;
  let summary = `${met} met, ${late} late, ${missed} missed`;
  if (report.aborted) summary += `, ${pending} not judged (interrupted)`;
  summary += `; ${report.published} events published, ${report.alerts} alert revisions seen`;
  if (report.otherAlerts.length) summary += `; other alerts: ${report.otherAlerts.join(', ')}`;
  const table = formatTable(report.expectations, { interrupted: report.aborted });
  return `${[table, '', summary, ...reportNotes(report, natsUrl)].join('\n')}\n`;
}
