import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api';
import { ErrorMessage } from '../components/error-message';
import { Link } from '../components/link';
import { localizeInstants } from '../format';
import { alertHref } from '../router';
import { historyApi, localToIso, type Timeline, type TimelineItem } from './history-api';
import { asError } from './history-page';
import './history.css';

type Entry = TimelineItem | { at: string; type: 'stay'; cellId: string; to: string | null };

const when = (iso: string | null) => {
  if (!iso) return 'now';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { hour12: false });
};

const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(', ') : '');

/** Stays and items in one list by time; at the same instant a stay comes before what happened in it. */
export function timelineEntries(t: Timeline): Entry[] {
  const entries: Entry[] = [
    ...t.stays.map((s) => ({ at: s.from, type: 'stay' as const, cellId: s.cellId, to: s.to })),
    ...t.items,
  ];
  const rank = (e: Entry) => (e.type === 'stay' ? 0 : 1);
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => Date.parse(a.e.at) - Date.parse(b.e.at) || rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
}

function Describe({ entry }: { entry: Entry }) {
  switch (entry.type) {
    case 'stay':
      return (
        <>
          Stay in cell <strong>{entry.cellId}</strong> until {when(entry.to)}
        </>
      );
    case 'roster':
      return (
        <>
          Roster: {entry.action}
          {entry.cellId && ` to cell ${entry.cellId}`}
        </>
      );
    case 'gsm':
      return (
        <>
          GSM: {entry.events} {entry.events === 1 ? 'event' : 'events'} in cell {entry.cellId} this hour
        </>
      );
    case 'alert':
      return (
        <>
          Alert{' '}
          <Link href={alertHref(entry.alertId)}>
            {typeof entry.title === 'string' ? localizeInstants(entry.title) : entry.alertId}
          </Link>{' '}
          ({entry.rule}, {entry.severity.toUpperCase()}, {entry.status})
        </>
      );
    case 'search':
      return (
        <>
          Search {String(entry.searchId ?? entry.eventId)} ({String(entry.searchType ?? '')}) of{' '}
          {list(entry.cellIds) || 'no cell'}: {entry.findings.length}{' '}
          {entry.findings.length === 1 ? 'finding' : 'findings'}
          {entry.reason === 'named' ? ' (names the detainee)' : ''}
        </>
      );
  }
}

/** The stays and items loaded so far, and where the next page starts. */
interface Loaded {
  stays: Timeline['stays'];
  items: TimelineItem[];
  nextCursor: string | null;
}

/**
 * One detainee's history (cell stays, hourly GSM counts in those cells, alerts, searches), a page at a time with
 * `Load more` following the server's keyset cursor; every page is audited by the server.
 */
export function DetaineeTimelinePage({ detaineeId, pageSize }: { detaineeId: string; pageSize?: number }) {
  const params = new URLSearchParams(window.location.search);
  const exercise = params.get('exercise') === 'include';
  // The range looked into (`datetime-local` values): around a transfer, a search. Kept in the address, so the
  // view can be shared and comes back with the browser's Back.
  const [range, setRange] = useState({ from: params.get('from') ?? '', to: params.get('to') ?? '' });
  const [form, setForm] = useState(range);
  const [timeline, setTimeline] = useState<Loaded>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  // The page a loaded answer is for: an answer for an earlier detainee or filter is dropped.
  const generation = useRef(0);

  const load = useCallback(
    async (cursor?: string) => {
      const mine = generation.current;
      setLoading(true);
      try {
        const from = localToIso(range.from);
        const to = localToIso(range.to);
        const page = await historyApi.timeline(detaineeId, {
          ...(from && { from }),
          ...(to && { to }),
          exercise,
          ...(cursor && { cursor }),
          ...(pageSize && { limit: pageSize }),
        });
        if (mine !== generation.current) return;
        setTimeline((before) => ({
          stays: page.stays,
          items: cursor && before ? [...before.items, ...page.items] : page.items,
          nextCursor: page.nextCursor ?? null,
        }));
        setError(undefined);
      } catch (err) {
        if (mine === generation.current) setError(asError(err));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [detaineeId, exercise, pageSize, range],
  );

  useEffect(() => {
    generation.current++;
    setTimeline(undefined);
    void load();
    return () => {
      generation.current++;
    };
  }, [load]);

  const entries = timeline ? timelineEntries(shown(timeline)) : [];
  return (
    <section className="history">
      <p>
        <Link href="/history">Back to history</Link>
      </p>
      <h1>Detainee {detaineeId}</h1>
      <p className="hist-logged" data-testid="logged-note">
        This view is logged.
      </p>
      {exercise && <p className="muted">Exercise data included.</p>}
      <form
        className="hist-filters"
        aria-label="Range"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams(window.location.search);
          for (const key of ['from', 'to'] as const) {
            if (form[key]) next.set(key, form[key]);
            else next.delete(key);
          }
          const query = next.toString();
          window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
          setRange(form);
        }}
      >
        <label>
          From{' '}
          <input
            type="datetime-local"
            value={form.from}
            onChange={(e) => setForm({ ...form, from: e.target.value })}
          />
        </label>
        <label>
          To{' '}
          <input
            type="datetime-local"
            value={form.to}
            onChange={(e) => setForm({ ...form, to: e.target.value })}
          />
        </label>
        <button type="submit">Show range</button>
      </form>
      <ErrorMessage error={error} />
      {!timeline && !error && <p className="loading">Loading…</p>}
      {timeline && entries.length === 0 && (
        <p className="muted">
          Nothing on record for this detainee{range.from || range.to ? ' in this range' : ''}.
        </p>
      )}
      {entries.length > 0 && (
        <ol className="hist-timeline" aria-label="Timeline">
          {entries.map((e, i) => (
            <li key={i} data-testid="timeline-item" data-type={e.type} className={`hist-item hist-${e.type}`}>
              <time dateTime={e.at}>{when(e.at)}</time> <Describe entry={e} />
            </li>
          ))}
        </ol>
      )}
      {timeline?.nextCursor && (
        <p>
          <span className="muted" data-testid="timeline-count">
            {timeline.items.length} items so far, more follow.{' '}
          </span>
          <button
            type="button"
            disabled={loading}
            onClick={() => timeline.nextCursor && void load(timeline.nextCursor)}
          >
            Load more
          </button>
        </p>
      )}
    </section>
  );
}

/**
 * While more pages follow, the stays that begin after the last loaded item wait for their page, so the list
 * never shows a stay without what happened before it.
 */
function shown(t: Loaded): Timeline {
  const last = t.items[t.items.length - 1];
  if (!t.nextCursor || !last) return t;
  const until = Date.parse(last.at);
  return { ...t, stays: t.stays.filter((s) => Date.parse(s.from) <= until) };
}
