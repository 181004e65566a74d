// History API routing (UI-CONTRACT.md): /login, / (board), /wings, /alerts/<encoded id>, /silences, /admin/*.
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'login' }
  | { page: 'board' }
  | { page: 'wings' }
  | { page: 'simulator' }
  | { page: 'history' }
  | { page: 'detainee'; detaineeId: string }
  | { page: 'alert'; alertId: string }
  | { page: 'silences' }
  | { page: 'users' }
  | { page: 'sites' }
  | { page: 'audit' }
  /** Under /admin/ but no page there: admins see "not found", everyone else "not allowed". */
  | { page: 'admin-other' }
  | { page: 'not-found' };

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'board' };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === '/wings') return { page: 'wings' };
  if (pathname === '/simulator') return { page: 'simulator' };
  if (pathname === '/history') return { page: 'history' };
  if (pathname === '/silences') return { page: 'silences' };
  if (pathname === '/admin/users') return { page: 'users' };
  if (pathname === '/admin/sites') return { page: 'sites' };
  if (pathname === '/admin/audit') return { page: 'audit' };
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return { page: 'admin-other' };
  const d = /^\/history\/detainees\/([^/]+)$/.exec(pathname);
  if (d?.[1]) {
    try {
      return { page: 'detainee', detaineeId: decodeURIComponent(d[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  const m = /^\/alerts\/([^/]+)$/.exec(pathname);
  if (m?.[1]) {
    try {
      return { page: 'alert', alertId: decodeURIComponent(m[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

export const alertHref = (alertId: string): string => `/alerts/${encodeURIComponent(alertId)}`;

const NAVIGATE = 'wachtpost:navigate';

export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE, listener);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** A plain click follows the link in the app; modified clicks (new tab) are left to the browser. */
export function followLink(
  event: {
    button: number;
    metaKey: boolean;
    ctrlKey: boolean;
    shiftKey: boolean;
    altKey: boolean;
    preventDefault: () => void;
  },
  href: string,
): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(href);
}
