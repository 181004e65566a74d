import { describe, expect, it } from 'vitest';
import type { ExpectationResult } from './judge';
import { formatReport, reportNotes } from './report-text';
import type { ScenarioReport } from './run-scenario';

const expectation = (index: number, verdict: ExpectationResult['verdict']): ExpectationResult => ({
  index,
  after: 'drop',
  rule: 'drone-drop',
  target: 'radar-1/trk-night-1',
  withinMs: 120_000,
  verdict,
  ...(verdict === 'met' && { alertId: 'demo.exercise:drone-drop:radar-1/trk-night-1', rev: 1, latencyMs: 0 }),
});

const report = (over: Partial<ScenarioReport>): ScenarioReport => ({
  command: 'scenario',
  scenario: 'drone drop',
  siteId: 'demo',
  origin: '2026-03-01T00:00:00.000Z',
  simulatedFrom: '2026-03-01T00:00:00.000Z',
  simulatedTo: '2026-03-02T00:00:00.000Z',
  published: 171,
  acked: 171,
  duplicates: 0,
  errors: 0,
  realSeconds: 3,
  alerts: 2,
  expectations: [expectation(0, 'met'), expectation(1, 'missed')],
  summary: { met: 1, late: 0, missed: 1, pending: 0 },
  otherAlerts: [],
  aborted: false,
  ...over,
});

const NATS = 'nats://127.0.0.1:4222';

describe('formatReport', () => {
  it('prints the table and the counts, and nothing more when the run went as it should', () => {
    const text = formatReport(report({}), NATS);
    expect(text).toMatch(/MET/);
    expect(text).toMatch(/MISSED/);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '1 met, 0 late, 1 missed; 171 events published, 2 alert revisions seen',
    );
    expect(reportNotes(report({}), NATS)).toEqual([]);
  });

  it('says an interrupted run was interrupted and shows what it never judged as such, not as missed', () => {
    const text = formatReport(
      report({
        aborted: true,
        expectations: [expectation(0, 'met'), expectation(1, 'pending'), expectation(2, 'pending')],
        summary: { met: 1, late: 0, missed: 0, pending: 2 },
        published: 40,
      }),
      NATS,
    );
    expect(text).not.toMatch(/MISSED|PENDING/);
    expect(text.match(/NOT JUDGED/g)).toHaveLength(2);
    expect(text).toMatch(
      /\n1 met, 0 late, 0 missed, 2 not judged \(interrupted\); 40 events published, 2 alert revisions seen\n/,
    );
    expect(text).toMatch(/\ninterrupted before the end: expectations still open were not judged/);
  });

  it('says where to look when not a single alert revision arrived', () => {
    const text = formatReport(
      report({
        alerts: 0,
        expectations: [expectation(0, 'missed')],
        summary: { met: 0, late: 0, missed: 1, pending: 0 },
      }),
      NATS,
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'no alert revision of site demo arrived on ALERTS during the run: are ingest and the detectors running ' +
        '(e.g. `pnpm start`) on the same NATS, nats://127.0.0.1:4222?',
    );
  });
});
