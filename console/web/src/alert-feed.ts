// Wires the alert store to its sources: the live socket first, then the API pages. The socket connects before
// the first page is asked for and its pushes go straight into the store; since the store keeps the highest rev
// per alert, a page that is older than a push cannot undo it, and nothing that changes during the load is lost.
import { api, ApiError, pageAlerts } from './api';
import { AlertStore } from './alert-store';
import { NO_FILTERS, type BoardFilters } from './board-logic';
import { LiveClient, type LiveState } from './live';
import type { Alert, HealthProblem, SiteModel } from './types';

export interface FeedState {
  live: LiveState;
  /** True from the moment a lost connection is live again (the banner shows it for a while). */
  resumed: boolean;
  /** When the live connection was lost (ISO), while it is: how stale the board may be. */
  lostAt?: string;
  loading: boolean;
  error?: ApiError;
  sites: SiteModel[];
  /** What the server says may keep alerts from the board (detection stopped, behind, no feed). */
  problems: HealthProblem[];
}

export interface FeedOptions {
  onNewCritical: (alert: Alert) => void;
  onSignedOut: () => void;
}

/** A page of the newest resolved alerts is enough for context; the API holds the rest. */
const RESOLVED_PAGES = 1;

export class AlertFeed {
  readonly store = new AlertStore();
  /**
   * The board's filters and scroll position, kept while the operator looks at a detail page, and the alert
   * last opened there, whose row takes the focus back on return.
   */
  readonly board: { filters: BoardFilters; scrollTop: number; lastOpened?: string } = {
    filters: NO_FILTERS,
    scrollTop: 0,
  };
  private state: FeedState = { live: 'connecting', resumed: false, loading: true, sites: [], problems: [] };
  private listeners = new Set<() => void>();
  private live: LiveClient | undefined;
  private loadNo = 0;

  constructor(private readonly options: FeedOptions) {}

  start(): void {
    this.live = new LiveClient({
      onAlert: (push) => {
        const { newCritical } = this.store.push(push);
        if (newCritical) this.options.onNewCritical(push.alert);
      },
      onState: (live, resumed) =>
        this.set({
          live,
          resumed,
          lostAt: live === 'lost' ? (this.state.lostAt ?? new Date().toISOString()) : undefined,
        }),
      onReloadNeeded: () => void this.load(),
      onSignedOut: this.options.onSignedOut,
      onHealth: (problems) => this.set({ problems }),
    });
    void this.load();
    void this.loadSites();
  }

  /** Loads every open and acknowledged alert and the newest resolved ones, page by page. */
  async load(): Promise<void> {
    const no = ++this.loadNo;
    this.set({ loading: true, error: undefined });
    try {
      const take = (alerts: Parameters<AlertStore['load']>[0]) => {
        if (no === this.loadNo) this.store.load(alerts);
      };
      await pageAlerts({ status: ['open', 'acknowledged'] }, take);
      await pageAlerts({ status: ['resolved'] }, take, RESOLVED_PAGES);
      if (no === this.loadNo) this.set({ loading: false });
    } catch (err) {
      if (no === this.loadNo) this.set({ loading: false, error: asApiError(err) });
    }
  }

  private async loadSites(): Promise<void> {
    try {
      const { sites } = await api.sites();
      this.set({ sites });
    } catch (err) {
      this.set({ error: asApiError(err) });
    }
  }

  getState = (): FeedState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<FeedState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  stop(): void {
    this.loadNo++;
    this.live?.close();
    this.store.dispose();
  }
}

export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, err instanceof Error ? err.message : String(err));
}
