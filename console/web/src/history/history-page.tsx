import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { api, ApiError } from '../api';
import { ErrorMessage } from '../components/error-message';
import { localizeInstants } from '../format';
import { navigate } from '../router';
import type { SiteModel } from '../types';
import { ExerciseHint } from './exercise-hint';
import { DroneGrid, Precision, VolumeBars, WingHeatmap } from './history-charts';
import { distinctErrors, rangeProblem, readableChartError } from './history-errors';
import {
  chartCsvHref,
  chartIgnores,
  csvHref,
  detaineeHref,
  EMPTY_FILTERS,
  EVENT_KINDS,
  historyApi,
  LIST_FILTERS,
  LIST_NAMES,
  RULES,
  SEVERITIES,
  type ChartName,
  type DroneChart,
  type Heatmap,
  type HistoryFilters,
  type HistoryRow,
  type ListName,
  type PrecisionChart,
  type VolumeChart,
} from './history-api';
import './history.css';

export const asError = (err: unknown) =>
  err instanceof ApiError ? err : new ApiError(0, err instanceof Error ? err.message : String(err));

const LIST_LABELS: Record<ListName, string> = { events: 'Events', alerts: 'Alerts', searches: 'Searches' };

const str = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : Array.isArray(v)
      ? v.join(', ')
      : typeof v === 'object'
        ? ''
        : String(v);

const when = (v: unknown) => {
  const d = new Date(str(v));
  return Number.isNaN(d.getTime()) ? str(v) : d.toLocaleString('en-GB', { hour12: false });
};

const COLUMNS: Record<ListName, { head: string; cell: (r: HistoryRow) => string }[]> = {
  events: [
    { head: 'Observed', cell: (r) => when(r.observedAt) },
    { head: 'Kind', cell: (r) => str(r.kind) },
    { head: 'Sensor', cell: (r) => str(r.sensorId) },
    { head: 'Zone / cell', cell: (r) => str(r.zoneId ?? r.cellId ?? r.cellIds) },
    { head: 'Detainee', cell: (r) => str(r.detaineeId) },
    { head: 'Event', cell: (r) => str(r.eventId) },
  ],
  alerts: [
    { head: 'Opened', cell: (r) => when(r.openedAt) },
    { head: 'Rule', cell: (r) => str(r.rule) },
    { head: 'Severity', cell: (r) => str(r.severity).toUpperCase() },
    { head: 'Status', cell: (r) => str(r.status) },
    { head: 'Wing', cell: (r) => str(r.wingId) },
    { head: 'Title', cell: (r) => localizeInstants(str(r.title)) },
  ],
  searches: [
    { head: 'Observed', cell: (r) => when(r.observedAt) },
    { head: 'Search', cell: (r) => str(r.searchId) },
    { head: 'Type', cell: (r) => str(r.type) },
    { head: 'Cells', cell: (r) => str(r.cellIds) },
    { head: 'Findings', cell: (r) => String(Array.isArray(r.findings) ? r.findings.length : 0) },
  ],
};

const rowKey = (r: HistoryRow, i: number) => str(r.eventId ?? r.alertId) || String(i);

/** A control with its own `<label for>`: the accessible name is exactly the label (not the label plus the value). */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="hist-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

interface Charts {
  volume?: VolumeChart;
  heatmap?: Heatmap;
  drones?: DroneChart;
  precision?: PrecisionChart;
  errors: { chart: string; error: ApiError }[];
}

/**
 * A chart's `Export CSV` link, under the chart: the same figures as a CSV attachment (the server's
 * `/api/history/charts/<chart>.csv`). The hidden words name the chart, so each link says which one it exports.
 */
function ChartCsv({
  chart,
  filters,
  what,
  list,
}: {
  chart: ChartName;
  filters: HistoryFilters;
  what: string;
  list: ListName;
}) {
  const ignored = chartIgnores(chart, list, filters);
  return (
    <p className="hist-chart-export">
      {ignored.length > 0 && (
        <span className="muted" data-testid="chart-ignores" data-chart={chart}>
          Not filtered by {ignored.join(', ')}.{' '}
        </span>
      )}
      <a
        className="hist-export"
        href={chartCsvHref(chart, filters)}
        download
        data-testid="chart-csv"
        data-chart={chart}
      >
        Export CSV<span className="hist-visually-hidden"> of {what}</span>
      </a>
    </p>
  );
}

const localTime = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { hour12: false });
};

/**
 * What the charts count, said above them: the range they cover (widened to whole 15-minute buckets, and the last
 * 30 days when From is empty, while the lists then show everything), so their figures can be checked against a
 * list and its CSV.
 */
function ChartScope({ charts, applied }: { charts: Charts; applied: HistoryFilters }) {
  const range = charts.volume ?? charts.heatmap ?? charts.drones;
  if (!range?.from || !range.to) return null;
  return (
    <p className="muted" data-testid="chart-scope">
      Charts count {localTime(range.from)} to {localTime(range.to)} (whole 15-minute buckets)
      {applied.from ? '.' : ': the last 30 days, as From is empty (the lists go back to the start).'} Hours of
      day and weekdays are local to the site ({range.timezone}); events without a single wing (a yard shared
      by wings) are not in the wing heatmap.
    </p>
  );
}

/**
 * The analysts' history: filters, the archive of events, alerts or searches with `Load more` following the
 * server's keyset cursor, a CSV export of the same view, the charts, and the way to a detainee's timeline.
 */
export function HistoryPage({ pageSize = 100 }: { pageSize?: number }) {
  const [sites, setSites] = useState<SiteModel[]>([]);
  const [form, setForm] = useState<HistoryFilters>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<HistoryFilters>(EMPTY_FILTERS);
  const [list, setList] = useState<ListName>('events');
  const [rows, setRows] = useState<HistoryRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  const [formError, setFormError] = useState<string>();
  const [charts, setCharts] = useState<Charts>({ errors: [] });
  const [detainee, setDetainee] = useState('');

  useEffect(() => {
    api.sites().then(
      (a) => setSites(a.sites),
      (err: unknown) => setError(asError(err)),
    );
  }, []);

  // A page answered after the list or the filters changed belongs to a view no longer shown: dropped.
  const generation = useRef(0);
  const load = useCallback(
    async (name: ListName, f: HistoryFilters, after?: string) => {
      const mine = after ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const page = await historyApi.list(name, f, { limit: pageSize, cursor: after });
        if (mine !== generation.current) return;
        setRows((old) => (after ? [...old, ...page.rows] : page.rows));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (err) {
        if (mine === generation.current) setError(asError(err));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [pageSize],
  );

  useEffect(() => {
    setRows([]);
    setCursor(null);
    void load(list, applied);
  }, [list, applied, load]);

  // Charts need a site when several are configured: the chosen one, else the first.
  const chartSite = applied.siteId || sites[0]?.id || '';
  const chartFilters = useMemo(() => ({ ...applied, siteId: chartSite }), [applied, chartSite]);
  useEffect(() => {
    if (!chartSite) return;
    const f = { ...applied, siteId: chartSite };
    let live = true;
    const next: Charts = { errors: [] };
    const one = async <K extends 'volume' | 'heatmap' | 'drones' | 'precision'>(
      name: K,
      call: () => Promise<NonNullable<Charts[K]>>,
    ) => {
      try {
        next[name] = (await call()) as Charts[K];
      } catch (err) {
        next.errors.push({ chart: name, error: readableChartError(asError(err)) });
      }
    };
    void Promise.all([
      one('volume', () => historyApi.volume(f)),
      one('heatmap', () => historyApi.heatmap(f)),
      one('drones', () => historyApi.drones(f)),
      one('precision', () => historyApi.precision(f)),
    ]).then(() => {
      if (live) setCharts(next);
    });
    return () => {
      live = false;
    };
  }, [applied, chartSite]);

  const set = <K extends keyof HistoryFilters>(k: K, v: HistoryFilters[K]) => {
    setForm((f) => ({ ...f, [k]: v, ...(k === 'siteId' && { wingId: '' }) }));
    if (k === 'from' || k === 'to') setFormError(undefined);
  };

  // A range the server would refuse is refused here, once, and nothing is sent.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = rangeProblem(form);
    setFormError(problem);
    if (!problem) setApplied({ ...form });
  };

  const showExercise = () => {
    setForm((f) => ({ ...f, exercise: true }));
    setApplied((f) => ({ ...f, exercise: true }));
  };

  const takes = (k: keyof HistoryFilters) => LIST_FILTERS[list].includes(k);
  const wings = (sites.find((s) => s.id === form.siteId) ?? (sites.length === 1 ? sites[0] : undefined))
    ?.wings;

  return (
    <section className="history">
      <h1>History</h1>
      <form className="hist-filters" aria-label="History filters" onSubmit={submit}>
        <Field label="From">
          {(id) => (
            <input
              id={id}
              type="datetime-local"
              value={form.from}
              onChange={(e) => set('from', e.target.value)}
            />
          )}
        </Field>
        <Field label="To">
          {(id) => (
            <input
              id={id}
              type="datetime-local"
              value={form.to}
              onChange={(e) => set('to', e.target.value)}
            />
          )}
        </Field>
        <Field label="Site">
          {(id) => (
            <select id={id} value={form.siteId} onChange={(e) => set('siteId', e.target.value)}>
              <option value="">Any</option>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Wing">
          {(id) => (
            <select id={id} value={form.wingId} onChange={(e) => set('wingId', e.target.value)}>
              <option value="">Any</option>
              {(wings ?? []).map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Cell">
          {(id) => (
            <input id={id} value={form.cellId} onChange={(e) => set('cellId', e.target.value)} size={10} />
          )}
        </Field>
        <Field label="Kind">
          {(id) => (
            <select
              id={id}
              value={form.kind}
              disabled={!takes('kind')}
              onChange={(e) => set('kind', e.target.value)}
            >
              <option value="">Any</option>
              {EVENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Rule">
          {(id) => (
            <select
              id={id}
              value={form.rule}
              disabled={!takes('rule')}
              onChange={(e) => set('rule', e.target.value)}
            >
              <option value="">Any</option>
              {RULES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Severity">
          {(id) => (
            <select
              id={id}
              value={form.severity}
              disabled={!takes('severity')}
              onChange={(e) => set('severity', e.target.value)}
            >
              <option value="">Any</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Detainee">
          {(id) => (
            <input
              id={id}
              value={form.detaineeId}
              onChange={(e) => set('detaineeId', e.target.value)}
              size={10}
            />
          )}
        </Field>
        <Field label="Findings">
          {(id) => (
            <select
              id={id}
              value={form.found}
              disabled={!takes('found')}
              onChange={(e) => set('found', e.target.value as HistoryFilters['found'])}
            >
              <option value="">Any</option>
              <option value="true">Something found</option>
              <option value="false">Nothing found</option>
            </select>
          )}
        </Field>
        <label className="hist-check">
          <input
            type="checkbox"
            checked={form.exercise}
            onChange={(e) => set('exercise', e.target.checked)}
          />
          Show exercise data
        </label>
        <button type="submit">Apply filters</button>
        {formError && (
          <p role="alert" className="field-error">
            {formError}
          </p>
        )}
      </form>

      <div className="hist-bar">
        <div role="tablist" aria-label="History lists">
          {LIST_NAMES.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={list === name}
              className={list === name ? 'hist-tab current' : 'hist-tab secondary'}
              onClick={() => setList(name)}
            >
              {LIST_LABELS[name]}
            </button>
          ))}
        </div>
        <a className="hist-export" href={csvHref(list, applied)} download data-testid="export-csv">
          Export CSV
        </a>
      </div>

      <ErrorMessage error={error} />
      <table className="hist-table" aria-label={`History ${LIST_LABELS[list].toLowerCase()}`}>
        <thead>
          <tr>
            {COLUMNS[list].map((c) => (
              <th key={c.head} scope="col">
                {c.head}
              </th>
            ))}
            <th scope="col">Exercise</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={rowKey(r, i)} data-testid="history-row">
              {COLUMNS[list].map((c) => (
                <td key={c.head}>{c.cell(r)}</td>
              ))}
              <td>{r.exercise === true ? 'EXERCISE' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" data-testid="history-count">
        {loading
          ? 'Loading…'
          : `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}${cursor ? ', more' : ''}`}
      </p>
      {!loading && !error && rows.length === 0 && !applied.exercise && <ExerciseHint onShow={showExercise} />}
      {cursor && (
        <button type="button" disabled={loading} onClick={() => void load(list, applied, cursor)}>
          Load more
        </button>
      )}

      <form
        className="hist-detainee"
        aria-label="Detainee timeline"
        onSubmit={(e) => {
          e.preventDefault();
          if (detainee.trim()) navigate(detaineeHref(detainee.trim(), { exercise: form.exercise }));
        }}
      >
        <h2>Detainee timeline</h2>
        <Field label="Detainee id">
          {(id) => <input id={id} value={detainee} onChange={(e) => setDetainee(e.target.value)} />}
        </Field>
        <button type="submit">Show timeline</button>
      </form>

      <section className="hist-charts" aria-label="Charts">
        <h2>Charts</h2>
        <ChartScope charts={charts} applied={applied} />
        {distinctErrors(charts.errors, error).map((e) => (
          <ErrorMessage
            key={e.charts.join()}
            error={e.error}
            prefix={`${e.charts.length === 1 ? 'Chart' : 'Charts'} ${e.charts.join(', ')}`}
          />
        ))}
        {charts.volume && (
          <>
            <VolumeBars chart={charts.volume} />
            <ChartCsv list={list} chart="volume" filters={chartFilters} what="events and alerts per bucket" />
          </>
        )}
        {charts.heatmap && (
          <>
            <WingHeatmap chart={charts.heatmap} />
            <ChartCsv
              list={list}
              chart="heatmap"
              filters={chartFilters}
              what="events per wing and hour of day"
            />
          </>
        )}
        {charts.drones && (
          <>
            <DroneGrid chart={charts.drones} />
            <ChartCsv
              list={list}
              chart="drones"
              filters={chartFilters}
              what="drone incursions per weekday and hour"
            />
          </>
        )}
        {charts.precision && (
          <>
            <Precision chart={charts.precision} />
            <ChartCsv
              list={list}
              chart="precision"
              filters={chartFilters}
              what="precision per rule and per sensor"
            />
          </>
        )}
      </section>
    </section>
  );
}
