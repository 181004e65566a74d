import { createReadStream, existsSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger, RouteHandler } from '@wachtpost/platform';

/** Where `pnpm --filter @wachtpost/console-web build` writes the web app. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export const WEB_BUILD_COMMAND = 'pnpm --filter @wachtpost/console-web build';

// Paths that belong to the API, socket.io and the runtime: never a file, never the app's index.html, so an
// unknown /api path keeps its JSON 404.
const RESERVED = /^\/(api|socket\.io)(\/|$)|^\/(healthz|readyz|metrics)$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

// Vite names everything under assets/ by its content hash, so a browser may keep it for good; index.html
// names the current hashes and must be asked for again each time.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wachtpost: web app not built</title></head>
<body><h1>The Wachtpost console web app is not built</h1>
<p>The console server is running (the API is under <code>/api</code>), but there is no web app to serve.
Build it with</p>
<pre>${WEB_BUILD_COMMAND}</pre>
<p>and reload this page. <code>pnpm start</code> builds it when needed.</p></body></html>
`;

async function fileStats(path: string): Promise<Stats | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A file of dist for a URL path, or undefined when the path is malformed or leaves dist. */
function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  // A NUL, a backslash (a separator on Windows, never in a Vite file name) or a dot segment (`..`, and
  // dotfiles like .env) is refused outright rather than normalised.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return undefined;
  const file = resolve(root, ...segments);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

// Browsers name text/html when they navigate; a script's fetch (`*/*`) of a missing file keeps its 404.
const acceptsHtml = (req: IncomingMessage) => /\btext\/html\b/.test(req.headers.accept ?? '');

/**
 * Serves the built web app (console/web/dist) on the console's port: its files, and index.html for any other
 * page path a browser asks for (the app routes with the History API). Without a build it answers 503 with
 * the command that makes one.
 */
export function staticWeb(options: { root?: string; log: Logger }): RouteHandler {
  const root = resolve(options.root ?? DEFAULT_WEB_DIST);
  const index = join(root, 'index.html');

  const serveFile = async (
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    stats: Stats,
    cacheControl: string,
  ) => {
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      etag,
      'last-modified': stats.mtime.toUTCString(),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(stats.size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // pipeline closes the file when the client goes away mid-transfer (pipe alone would leave it open).
    await pipeline(createReadStream(file), res).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE')
        options.log.warn({ err, file }, 'sending a web app file failed');
      res.destroy();
    });
  };

  return async (req, res) => {
    // Not new URL(): it would resolve dot segments itself and read a leading `//` as a host.
    const pathname = (req.url ?? '/').split(/[?#]/)[0] || '/';
    if (RESERVED.test(pathname)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, `${req.method} is not allowed here\n`, { allow: 'GET, HEAD' });
      return true;
    }
    const file = resolveInside(root, pathname);
    if (!file) {
      sendText(res, 400, 'bad path\n');
      return true;
    }
    // `/` is the app's page itself, whatever the client accepts.
    const found = await fileStats(file === root ? index : file);
    if (found) {
      const isIndex = file === root || file === index;
      const cache = !isIndex && pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
      await serveFile(req, res, isIndex ? index : file, found, cache);
      return true;
    }
    // A missing asset is a 404, never index.html: a script tag would otherwise get HTML back.
    if (pathname.startsWith('/assets/')) {
      sendText(res, 404, 'not found\n');
      return true;
    }
    // SPA fallback, for navigations only (a fetch of a missing file keeps its 404).
    if (file !== root && !acceptsHtml(req)) return false;
    const indexStats = await fileStats(index);
    if (!indexStats) {
      res.writeHead(503, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': '30',
      });
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
      return true;
    }
    await serveFile(req, res, index, indexStats, REVALIDATE);
    return true;
  };
}

/** Whether dist holds a build (checked once at start-up, for the warning). */
export const webAppBuilt = (root: string = DEFAULT_WEB_DIST): boolean =>
  existsSync(join(resolve(root), 'index.html'));
