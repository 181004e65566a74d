import type { IncomingMessage } from 'node:http';

/**
 * Whether a browser sent this request from a page of another origin. SameSite=Strict keeps the session cookie
 * from other sites, but not from other origins of the same site: another port of the console's host (the
 * deployment serves it on 127.0.0.1:8080) or a sibling host name. Such a page must not open a live socket as
 * the user (WebSockets are not bound by CORS) or send a bodiless POST (a form can). Browsers name the
 * relation in `Sec-Fetch-Site`; older ones send `Origin`, compared with `Host` (a reverse proxy must pass the
 * client's `Host` on, as it must for cookies anyway). A request with neither is not from a browser page.
 */
export function fromOtherOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    // `Origin: null` (a sandboxed frame, a file) or garbage.
    return true;
  }
}
