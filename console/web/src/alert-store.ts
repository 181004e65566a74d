// The alerts the console knows, keyed by alertId. Loads and pushes may arrive in any order (a page can be
// older than a push that overtook it), so an entry is replaced only by a higher rev: applying is commutative.
import type { AlertEntry } from './types';

export type ApplyResult = 'added' | 'updated' | 'stale';

/** Applies one entry to the map in place, only if its rev is newer than the one held. */
export function applyEntry(map: Map<string, AlertEntry>, entry: AlertEntry): ApplyResult {
  const held = map.get(entry.alert.alertId);
  if (held && held.alert.rev >= entry.alert.rev) {
    // Same rev, newer console fields (an assignment is its own rev, but silences change without one).
    if (held.alert.rev === entry.alert.rev && held.console.silenced !== entry.console.silenced) {
      map.set(entry.alert.alertId, { alert: held.alert, console: { ...held.console, ...entry.console } });
      return 'updated';
    }
    return 'stale';
  }
  map.set(entry.alert.alertId, entry);
  return held ? 'updated' : 'added';
}

/**
 * Whether a live change is a critical alert the room has not seen: open and critical, and either new (rev 1)
 * or just raised to critical. An older alert unknown only because the first load has not reached it yet (rev > 1)
 * is not new.
 */
export function isNewCritical(before: AlertEntry | undefined, after: AlertEntry): boolean {
  const a = after.alert;
  if (a.severity !== 'critical' || a.status !== 'open') return false;
  if (!before) return a.rev === 1;
  return before.alert.severity !== 'critical';
}

type Listener = () => void;

/**
 * The board's data outside React: pushes mutate the map, React reads a version number through
 * useSyncExternalStore, and listeners hear about a burst of pushes once per frame, not once per push.
 */
export class AlertStore {
  readonly alerts = new Map<string, AlertEntry>();
  /** Critical alerts that arrived live and nobody has opened yet (highlighted on the board). */
  readonly fresh = new Set<string>();
  private version = 0;
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly flushMs = 50) {}

  /** Merges loaded entries (a page of GET /api/alerts). */
  load(entries: readonly AlertEntry[]): void {
    let changed = false;
    for (const e of entries) changed = applyEntry(this.alerts, e) !== 'stale' || changed;
    if (changed) this.changed();
  }

  /** Applies a live change; returns whether it is a new critical alert to announce. */
  push(entry: AlertEntry): { result: ApplyResult; newCritical: boolean } {
    const before = this.alerts.get(entry.alert.alertId);
    const result = applyEntry(this.alerts, entry);
    if (result === 'stale') return { result, newCritical: false };
    const newCritical = isNewCritical(before, entry);
    if (newCritical) this.fresh.add(entry.alert.alertId);
    else if (entry.alert.status !== 'open') this.fresh.delete(entry.alert.alertId);
    this.changed();
    return { result, newCritical };
  }

  /** The operator has seen it (opened its detail): no more highlight. */
  seen(alertId: string): void {
    if (this.fresh.delete(alertId)) this.changed();
  }

  get(alertId: string): AlertEntry | undefined {
    return this.alerts.get(alertId);
  }

  getVersion = (): number => this.version;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.version++;
      for (const l of [...this.listeners]) l();
    }, this.flushMs);
  }

  /** Stops a pending notification (listeners unsubscribe themselves). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
