// The analysts' charts as plain SVG: each has an accessible name, and every mark carries its figures in a
// <title> (read out by screen readers, shown on hover). Colours are SVG attributes, not inline styles (CSP).
import type { DroneChart, Heatmap, PrecisionChart, PrecisionCounts, VolumeChart } from './history-api';

const BUCKET_NAMES: Record<string, string> = {
  '15m': '15 minutes',
  '1h': '1 hour',
  '6h': '6 hours',
  '1d': '1 day',
};

const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { hour12: false });
};

/** Events and alerts per bucket: two rows of bars sharing the time axis. */
export function VolumeBars({ chart }: { chart: VolumeChart }) {
  const width = 720;
  const band = 70;
  const n = Math.max(chart.points.length, 1);
  const step = width / n;
  const maxEvents = Math.max(1, ...chart.points.map((p) => p.events));
  const maxAlerts = Math.max(1, ...chart.points.map((p) => p.alerts));
  const bucket = BUCKET_NAMES[chart.bucket] ?? chart.bucket;
  const first = chart.points[0];
  const last = chart.points.at(-1);
  return (
    <figure className="hist-chart">
      <figcaption>
        Events and alerts per bucket <span data-testid="volume-bucket">(bucket: {bucket})</span>
      </figcaption>
      <svg
        role="img"
        aria-label={`Events and alerts per ${bucket}`}
        viewBox={`0 0 ${width} ${band * 2 + 40}`}
        className="hist-svg"
      >
        <text x={0} y={12} className="hist-axis">
          events (max {maxEvents})
        </text>
        <text x={0} y={band + 32} className="hist-axis">
          alerts (max {maxAlerts})
        </text>
        {chart.points.map((p, i) => {
          const he = (p.events / maxEvents) * (band - 16);
          const ha = (p.alerts / maxAlerts) * (band - 16);
          return (
            <g key={p.t} data-testid="volume-point">
              <title>{`${when(p.t)}: ${p.events} events, ${p.alerts} alerts`}</title>
              <rect x={i * step} y={band - he} width={Math.max(step - 1, 0.5)} height={he} fill="#6cb6ff" />
              <rect
                x={i * step}
                y={band * 2 + 20 - ha}
                width={Math.max(step - 1, 0.5)}
                height={ha}
                fill="#ff9f43"
              />
            </g>
          );
        })}
        {first && (
          <text x={0} y={band * 2 + 36} className="hist-axis">
            {when(first.t)}
          </text>
        )}
        {last && (
          <text x={width} y={band * 2 + 36} textAnchor="end" className="hist-axis">
            {when(last.t)}
          </text>
        )}
      </svg>
    </figure>
  );
}

/** Blue from faint to full by count; zero is the panel colour. */
const shade = (count: number, max: number) => (count <= 0 ? 0.06 : 0.2 + 0.8 * (count / Math.max(max, 1)));

const HOURS = Array.from({ length: 24 }, (_, h) => h);

function Grid({
  label,
  rows,
  unit,
  fill,
}: {
  label: string;
  rows: { name: string; counts: number[] }[];
  unit: string;
  fill: string;
}) {
  const cell = 24;
  const left = 110;
  const max = Math.max(1, ...rows.flatMap((r) => r.counts));
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${left + cell * 24} ${cell * rows.length + 20}`}
      className="hist-svg"
    >
      {HOURS.map((h) => (
        <text key={h} x={left + h * cell + cell / 2} y={12} textAnchor="middle" className="hist-axis">
          {h}
        </text>
      ))}
      {rows.map((r, y) => (
        <g key={r.name}>
          <text x={left - 6} y={20 + y * cell + cell / 2 + 4} textAnchor="end" className="hist-axis">
            {r.name}
          </text>
          {HOURS.map((h) => {
            const n = r.counts[h] ?? 0;
            return (
              <rect
                key={h}
                data-testid="heat-cell"
                data-count={n}
                x={left + h * cell}
                y={20 + y * cell}
                width={cell - 2}
                height={cell - 2}
                fill={fill}
                fillOpacity={shade(n, max)}
              >
                <title>{`${r.name}, ${String(h).padStart(2, '0')}:00: ${n} ${unit}`}</title>
              </rect>
            );
          })}
        </g>
      ))}
    </svg>
  );
}

export function WingHeatmap({ chart }: { chart: Heatmap }) {
  return (
    <figure className="hist-chart">
      <figcaption>
        Events per wing and hour of day ({chart.timezone}
        {chart.kinds.length > 0 && `; ${chart.kinds.join(', ')}`})
      </figcaption>
      <Grid
        label="Events per wing and hour of day"
        rows={chart.wings.map((w) => ({ name: w.name || w.wingId, counts: w.hours }))}
        unit="events"
        fill="#6cb6ff"
      />
    </figure>
  );
}

const WEEKDAY_NAMES: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export function DroneGrid({ chart }: { chart: DroneChart }) {
  // The total, so an empty grid reads as "none" rather than as a chart that failed, and can be checked against
  // the alerts list filtered on rule drone-incursion.
  const total = chart.counts.flat().reduce((a, n) => a + n, 0);
  return (
    <figure className="hist-chart">
      <figcaption>
        Drone incursions per weekday and hour ({chart.timezone}):{' '}
        <span data-testid="drone-total">{total === 0 ? 'none in this range' : `${total} in this range`}</span>
      </figcaption>
      <Grid
        label="Drone incursions per weekday and hour"
        rows={chart.weekdays.map((d, i) => ({ name: WEEKDAY_NAMES[d] ?? d, counts: chart.counts[i] ?? [] }))}
        unit="drone incursions"
        fill="#ff5c5c"
      />
    </figure>
  );
}

const pct = (p: number | null) => (p === null ? '–' : `${Math.round(p * 100)}%`);

function PrecisionRows({ rows }: { rows: { key: string; c: PrecisionCounts }[] }) {
  if (rows.length === 0) {
    return (
      <tr>
        <td colSpan={8} className="muted">
          No resolved alerts in this range.
        </td>
      </tr>
    );
  }
  return (
    <>
      {rows.map(({ key, c }) => (
        <tr key={key}>
          <th scope="row">{key}</th>
          <td>{c.resolved}</td>
          <td>{c.confirmed}</td>
          <td>{c.falsePositive}</td>
          <td>{c.duplicate}</td>
          <td>{c.searchOrdered}</td>
          <td>{c.auto}</td>
          <td>{pct(c.precision)}</td>
        </tr>
      ))}
    </>
  );
}

function PrecisionTable({
  label,
  first,
  rows,
}: {
  label: string;
  first: string;
  rows: { key: string; c: PrecisionCounts }[];
}) {
  return (
    <table className="hist-table" aria-label={label}>
      <caption>{label}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col">Resolved</th>
          <th scope="col">Confirmed</th>
          <th scope="col">False positive</th>
          <th scope="col">Duplicate</th>
          <th scope="col">Search ordered</th>
          <th scope="col">Auto</th>
          <th scope="col">Precision</th>
        </tr>
      </thead>
      <tbody>
        <PrecisionRows rows={rows} />
      </tbody>
    </table>
  );
}

export function Precision({ chart }: { chart: PrecisionChart }) {
  return (
    <div className="hist-precision">
      <PrecisionTable
        label="Precision per rule"
        first="Rule"
        rows={chart.byRule.map((r) => ({ key: r.rule, c: r }))}
      />
      <PrecisionTable
        label="Precision per sensor"
        first="Sensor"
        rows={chart.bySensor.map((r) => ({ key: r.sensorId, c: r }))}
      />
    </div>
  );
}
