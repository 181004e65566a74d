import { describe, expect, it } from 'vitest';
import { retentionCutoffs } from './retention';

const now = new Date('2026-06-01T12:00:00Z');
const daysBefore = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('history retention cut-offs', () => {
  it('cuts raw and rejected events at HISTORY_RETENTION_DAYS and keeps the rollups when their retention is 0', () => {
    expect(
      retentionCutoffs({ compressAfterDays: 7, retentionDays: 400, rollupRetentionDays: 0 }, now),
    ).toEqual([
      { table: 'sensor_events', before: daysBefore(400) },
      { table: 'rejected_events', before: daysBefore(400) },
    ]);
  });

  it('cuts both 15-minute rollups at HISTORY_ROLLUP_RETENTION_DAYS when it is set', () => {
    expect(
      retentionCutoffs({ compressAfterDays: 7, retentionDays: 30, rollupRetentionDays: 800 }, now),
    ).toEqual([
      { table: 'sensor_events', before: new Date('2026-05-02T12:00:00Z') },
      { table: 'rejected_events', before: new Date('2026-05-02T12:00:00Z') },
      { table: 'sensor_events_15m', before: daysBefore(800) },
      { table: 'alerts_15m', before: daysBefore(800) },
    ]);
  });

  it('never names the alert tables: alerts and their history are the record of what staff did', () => {
    const tables = retentionCutoffs(
      { compressAfterDays: 7, retentionDays: 8, rollupRetentionDays: 9 },
      now,
    ).map((c) => c.table);
    expect(tables).not.toContain('alerts');
    expect(tables).not.toContain('alert_history');
  });
});
