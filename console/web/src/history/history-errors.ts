// What the history page says when a query is refused: checked in the form first, and each refusal once.
import { ApiError } from '../api';
import { localToIso, type HistoryFilters } from './history-api';

/** The form's own check, before anything is sent: the server would refuse every list and chart alike. */
export function rangeProblem(f: Pick<HistoryFilters, 'from' | 'to'>): string | undefined {
  const from = localToIso(f.from);
  const to = localToIso(f.to);
  return from && to && Date.parse(from) >= Date.parse(to) ? 'From must be before To.' : undefined;
}

/**
 * The volume chart refuses a range that would need more points than it draws, naming a `bucket` the page does
 * not offer (it already asks for the largest, a day, on long ranges): say what can be done here instead.
 */
export function readableChartError(error: ApiError): ApiError {
  if (error.status !== 400 || !error.issues.some((i) => i.path === 'bucket')) return error;
  return new ApiError(400, 'the date range is too long for this chart; narrow it with From and To');
}

const key = (e: ApiError) => JSON.stringify([e.status, e.message, e.issues]);

/**
 * The charts' errors with the same text merged into one (`volume, heatmap`), leaving out any that says what
 * `shown` (the list's error, already on the page) says.
 */
export function distinctErrors(
  errors: readonly { chart: string; error: ApiError }[],
  shown?: ApiError,
): { charts: string[]; error: ApiError }[] {
  const groups = new Map<string, { charts: string[]; error: ApiError }>();
  for (const { chart, error } of errors) {
    const k = key(error);
    if (shown && k === key(shown)) continue;
    const group = groups.get(k);
    if (group) group.charts.push(chart);
    else groups.set(k, { charts: [chart], error });
  }
  return [...groups.values()];
}
