// The browser tab's title. The console often sits behind another window or tab (the history, a camera
// viewer), where the title and the taskbar are all that show a new critical alert or a lost connection.
import type { LiveState } from './live';

export const APP_TITLE = 'Wachtpost';

/** e.g. `Connection lost · 2 new critical · Wachtpost`; just `Wachtpost` while all is calm. */
export function pageTitle(newCritical: number, live: LiveState | undefined): string {
  const parts: string[] = [];
  if (live === 'lost') parts.push('Connection lost');
  if (newCritical > 0) parts.push(`${newCritical} new critical`);
  return [...parts, APP_TITLE].join(' · ');
}
