import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, RouteHandler } from '@wachtpost/platform';
import { clientAddress, UntrustedProxyWarning } from './client-address';
import { HttpError, sendJson } from './respond';
import { fromOtherOrigin } from './same-origin';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The client's address, for the audit log and the login rate limit. */
  ip: string;
}

export type Handler = (c: RequestContext) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** A small method + path router (`/api/alerts/:id`) mounted on the platform's one HTTP server. */
export class Router {
  private readonly routes: Route[] = [];
  private readonly untrustedProxy = new UntrustedProxyWarning();

  constructor(
    private readonly log: Logger,
    /** Reverse proxies whose `X-Forwarded-For` names the client (CONSOLE_TRUSTED_PROXIES). */
    private readonly trustedProxies: ReadonlySet<string> = new Set(),
  ) {}

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  handler(): RouteHandler {
    return async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const matches = this.routes
        .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
        .filter((m) => m.match);
      if (matches.length === 0) return false;
      const found = matches.find((m) => m.route.method === req.method);
      if (!found) {
        sendJson(res, 405, { error: `${req.method} is not allowed on ${url.pathname}` });
        return true;
      }
      // A page on another origin of the same site gets the SameSite=Strict cookie. JSON bodies need a CORS
      // preflight this server never grants, but bodiless POSTs do not (a form can send them), and a GET, which
      // such a page cannot read, still writes its audit entry: an <img> could record views of a detainee's
      // data in a user's name.
      if (fromOtherOrigin(req)) {
        sendJson(res, 403, { error: 'cross-origin request refused' });
        return true;
      }
      const misconfigured = this.untrustedProxy.check(req, this.trustedProxies);
      if (misconfigured) this.log.warn(misconfigured);
      const params: Record<string, string> = {};
      found.route.keys.forEach((key, i) => {
        const raw = found.match?.[i + 1] ?? '';
        try {
          params[key] = decodeURIComponent(raw);
        } catch {
          params[key] = raw;
        }
      });
      try {
        await found.route.handler({
          req,
          res,
          params,
          query: url.searchParams,
          ip: clientAddress(req, this.trustedProxies),
        });
      } catch (err) {
        if (err instanceof HttpError) {
          sendJson(
            res,
            err.status,
            { error: err.message, ...(err.issues && { issues: err.issues }) },
            err.headers,
          );
        } else {
          this.log.error({ err, url: req.url }, 'console request failed');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
          else res.end();
        }
      }
      return true;
    };
  }
}
