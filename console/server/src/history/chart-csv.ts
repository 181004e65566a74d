import type { droneWeekdayHour, Heatmap, precision, VolumeChart } from './charts';
import { type CsvValue, localTime } from './csv';

/** A chart as one CSV table: the header and its records (fields go through `csvField`, formulas defused). */
export interface ChartTable {
  header: string[];
  records: CsvValue[][];
}

export type ChartName = 'volume' | 'heatmap' | 'drones' | 'precision';

type DroneChart = Awaited<ReturnType<typeof droneWeekdayHour>>;
type PrecisionChart = Awaited<ReturnType<typeof precision>>;

// Hour-of-day columns: the site's local hours (the chart answers' `timezone`).
const HOUR_COLUMNS = Array.from({ length: 24 }, (_, h) => `hour_${String(h).padStart(2, '0')}`);

/** One record per bucket: its start (UTC), the step, events and alerts, and its start on the site's clock. */
export const volumeTable = (c: VolumeChart): ChartTable => ({
  header: ['bucket_start', 'bucket', 'events', 'alerts', 'bucket_start_local'],
  records: c.points.map((p) => [p.t, c.bucket, p.events, p.alerts, localTime(p.t, c.timezone)]),
});

/** One record per wing: events per local hour of day, as the chart's grid. */
export const heatmapTable = (c: Heatmap): ChartTable => ({
  header: ['wing_id', 'wing_name', ...HOUR_COLUMNS],
  records: c.wings.map((w) => [w.wingId, w.name, ...w.hours]),
});

/** One record per local weekday, Monday first: drone incursions per local hour. */
export const dronesTable = (c: DroneChart): ChartTable => ({
  header: ['weekday', ...HOUR_COLUMNS],
  records: c.weekdays.map((d, i) => [d, ...(c.counts[i] ?? [])]),
});

/** The two precision tables in one: `rule` records, then `sensor` records; precision empty when unjudged. */
export const precisionTable = (c: PrecisionChart): ChartTable => {
  const counts = (r: Omit<PrecisionChart['byRule'][number], 'rule'>): CsvValue[] => [
    r.resolved,
    r.confirmed,
    r.falsePositive,
    r.duplicate,
    r.searchOrdered,
    r.auto,
    r.precision,
  ];
  return {
    header: [
      'by',
      'key',
      'resolved',
      'confirmed',
      'false_positive',
      'duplicate',
      'search_ordered',
      'auto',
      'precision',
    ],
    records: [
      ...c.byRule.map((r) => ['rule', r.rule, ...counts(r)]),
      ...c.bySensor.map((r) => ['sensor', r.sensorId, ...counts(r)]),
    ],
  };
};
