import { useCallback, useEffect, useMemo, useState } from 'react';
import { countBySeverity, filterChoices, visibleAlerts, wingLabel, type BoardFilters } from '../board-logic';
import { useFeed, useFeedState, useStoreVersion } from '../feed-context';
import type { AlertEntry } from '../types';
import { AlertRow } from './alert-row';
import { ErrorMessage } from './error-message';
import { Filters } from './filters';
import { SeverityCounters } from './severity-counters';
import { VirtualList } from './virtual-list';

export const ROW_HEIGHT = 56;

export function AlertBoard() {
  const feed = useFeed();
  const version = useStoreVersion(feed);
  const state = useFeedState(feed);
  // Filters and scroll position live on the feed so that a visit to a detail page keeps them.
  const [filters, setFiltersState] = useState<BoardFilters>(feed.board.filters);
  const setFilters = (f: BoardFilters) => {
    feed.board.filters = f;
    feed.board.scrollTop = 0;
    setFiltersState(f);
  };

  // `version` changes whenever the store does; the store itself is mutable.
  const all = feed.store.alerts;
  const rows = useMemo(() => visibleAlerts(all.values(), filters), [all, filters, version]);
  const counts = useMemo(() => countBySeverity(rows), [rows]);
  const choices = useMemo(
    () => filterChoices(all.values(), state.sites, filters.siteId),
    [all, state.sites, filters.siteId, version],
  );

  const renderRow = useCallback(
    (entry: AlertEntry) => (
      <AlertRow
        entry={entry}
        fresh={feed.store.fresh.has(entry.alert.alertId)}
        wing={wingLabel(entry.alert, state.sites)}
      />
    ),
    // Highlights change with the version; wing names with the site models.
    [feed, version, state.sites],
  );
  const onScroll = useCallback((top: number) => (feed.board.scrollTop = top), [feed]);

  // Back from a detail page, the row opened takes the focus (VirtualList, on mount), and only then.
  const returnTo = feed.board.lastOpened;
  useEffect(() => {
    feed.board.lastOpened = undefined;
  }, [feed]);

  return (
    <section className="board">
      <div className="board-head">
        <h1>Alerts</h1>
        <SeverityCounters counts={counts} />
      </div>
      <Filters filters={filters} choices={choices} onChange={setFilters} />
      <ErrorMessage error={state.error} prefix="Loading alerts failed" />
      <p className="board-summary" aria-live="off">
        {rows.length} {rows.length === 1 ? 'alert' : 'alerts'}
        {state.loading && ' (loading…)'}
      </p>
      {rows.length === 0 &&
        !state.loading &&
        (all.size === 0 && !state.error && !Object.values(filters).some(Boolean) ? (
          // A fresh console with nothing raised yet: say how to get traffic rather than "no match".
          <p className="empty" data-testid="board-empty-hint">
            No alerts yet. For demo traffic run <code>pnpm demo</code>: its first drone comes over the site
            within three minutes. Testers can run a scenario from the Simulator page.
          </p>
        ) : (
          <p className="empty">No alerts match these filters.</p>
        ))}
      <VirtualList
        items={rows}
        rowHeight={ROW_HEIGHT}
        label="Alerts"
        getKey={(e) => e.alert.alertId}
        renderRow={renderRow}
        initialScrollTop={feed.board.scrollTop}
        initialFocusKey={returnTo}
        onScrollTopChange={onScroll}
      />
    </section>
  );
}
