import { describe, expect, it } from 'vitest';
import { dronesTable, heatmapTable, precisionTable, volumeTable } from './chart-csv';
import { csvLine } from './csv';

const text = (t: { header: string[]; records: unknown[][] }) =>
  [t.header, ...t.records].map((r) => csvLine(r as never)).join('');

const hours = (at: number, n: number) => Array.from({ length: 24 }, (_, h) => (h === at ? n : 0));
const range = { siteId: 'demo', timezone: 'Europe/Amsterdam', from: 'f', to: 't' };

describe('charts as CSV', () => {
  it('writes the volume chart one bucket a record', () => {
    const csv = text(
      volumeTable({
        ...range,
        bucket: '1h',
        points: [
          { t: '2026-03-01T00:00:00.000Z', events: 4, alerts: 1 },
          { t: '2026-03-01T01:00:00.000Z', events: 0, alerts: 0 },
        ],
      }),
    );
    expect(csv).toBe(
      'bucket_start,bucket,events,alerts,bucket_start_local\r\n' +
        '2026-03-01T00:00:00.000Z,1h,4,1,2026-03-01 01:00:00\r\n' +
        '2026-03-01T01:00:00.000Z,1h,0,0,2026-03-01 02:00:00\r\n',
    );
  });

  it('writes the heatmap a wing a record with 24 local hours, and defuses a wing name that looks like a formula', () => {
    const table = heatmapTable({
      ...range,
      kinds: ['gsm'],
      wings: [
        { wingId: 'a', name: 'Afdeling A', hours: hours(3, 7) },
        { wingId: 'b', name: '=HYPERLINK("http://x","B")', hours: hours(0, 0) },
      ],
    });
    expect(table.header).toEqual([
      'wing_id',
      'wing_name',
      ...Array.from({ length: 24 }, (_, h) => `hour_${String(h).padStart(2, '0')}`),
    ]);
    const lines = text(table).split('\r\n');
    expect(lines[1]).toBe(`a,Afdeling A,0,0,0,7,${new Array(20).fill(0).join(',')}`);
    expect(lines[2]!.startsWith(`b,"'=HYPERLINK(""http://x"",""B"")",0,`)).toBe(true);
  });

  it('writes the drone grid a weekday a record, Monday first', () => {
    const table = dronesTable({
      ...range,
      weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      counts: Array.from({ length: 7 }, (_, d) => hours(23, d === 5 ? 2 : 0)),
    });
    expect(table.records.map((r) => r[0])).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(table.records[5]!.slice(1)).toEqual(hours(23, 2));
    expect(table.records.every((r) => r.length === 25)).toBe(true);
  });

  it('writes precision by rule, then by sensor, with an empty precision where nothing was judged', () => {
    const counts = { resolved: 2, confirmed: 1, falsePositive: 1, duplicate: 0, searchOrdered: 0, auto: 0 };
    const csv = text(
      precisionTable({
        siteId: 'demo',
        from: 'f',
        to: 't',
        byRule: [{ rule: 'gsm-burst', ...counts, precision: 0.5 }],
        bySensor: [{ sensorId: 'gsm-a-1', ...counts, confirmed: 0, falsePositive: 0, precision: null }],
      }),
    );
    expect(csv.split('\r\n')).toEqual([
      'by,key,resolved,confirmed,false_positive,duplicate,search_ordered,auto,precision',
      'rule,gsm-burst,2,1,1,0,0,0,0.5',
      'sensor,gsm-a-1,2,0,0,0,0,0,',
      '',
    ]);
  });
});
