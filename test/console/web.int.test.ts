import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';

// A dist of our own (the real build is the e2e suite's business), beside a file that must never be served.
const top = mkdtempSync(join(tmpdir(), 'wachtpost-web-'));
const dist = join(top, 'dist');
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head></html>';
mkdirSync(join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'index.html'), INDEX);
writeFileSync(join(dist, 'assets', 'app-1a2b3c.js'), 'console.log("app");');
writeFileSync(join(dist, 'assets', 'app-1a2b3c.css'), 'body{}');
writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(dist, '.env'), 'SECRET=dotfile');
writeFileSync(join(top, 'secret.txt'), 'SECRET=outside');

let h: ConsoleHarness;
let web: RunningConsole;
let unbuilt: RunningConsole;

beforeAll(async () => {
  h = await startConsoleHarness();
  web = await h.startConsole({ webDist: dist });
  unbuilt = await h.startConsole({ webDist: join(top, 'missing') });
});
afterAll(async () => {
  await h?.close();
  rmSync(top, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path exactly as given: fetch would normalise `..` away before it left the client. */
function raw(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function expectSecurityHeaders(res: Raw) {
  expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
}

describe('the console serves the web app', () => {
  it('serves index.html at / with no-cache, and hashed assets as immutable with their content types', async () => {
    const root = await raw(web.port, 'GET', '/', BROWSER);
    expect(root.status).toBe(200);
    expect(root.body).toBe(INDEX);
    expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(root.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(root);

    const js = await raw(web.port, 'GET', '/assets/app-1a2b3c.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app");');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(js);

    const css = await raw(web.port, 'GET', '/assets/app-1a2b3c.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await raw(web.port, 'GET', '/favicon.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
    const index = await raw(web.port, 'GET', '/index.html');
    expect(index.headers['cache-control']).toBe('no-cache');
  });

  it('answers HEAD with the headers and no body, and a matching ETag with 304', async () => {
    const head = await raw(web.port, 'HEAD', '/assets/app-1a2b3c.js');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('console.log("app");'.length));
    const again = await raw(web.port, 'GET', '/', { ...BROWSER, 'if-none-match': String(head.headers.etag) });
    expect(again.status).toBe(200); // a different file's tag
    const etag = String((await raw(web.port, 'GET', '/', BROWSER)).headers.etag);
    const cached = await raw(web.port, 'GET', '/', { ...BROWSER, 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect(cached.body).toBe('');
  });

  it('answers page paths with index.html for browsers (SPA fallback), and only for them', async () => {
    for (const path of ['/login', '/wings', '/alerts/demo%3Adrone-incursion%3Ax', '/alerts/a/b?x=1']) {
      const res = await raw(web.port, 'GET', path, BROWSER);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toBe(INDEX);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expectSecurityHeaders(res);
    }
    for (const accept of ['application/json', '*/*']) {
      const fetchLike = await raw(web.port, 'GET', '/robots.txt', { accept });
      expect(fetchLike.status, accept).toBe(404);
      expect(fetchLike.headers['content-type'], accept).toMatch(/^application\/json/);
    }
    // `/` is the page itself, for any client.
    const curl = await raw(web.port, 'GET', '/', { accept: '*/*' });
    expect(curl.status).toBe(200);
    expect(curl.body).toBe(INDEX);
    // A missing asset never turns into HTML (a module script would get the page back).
    const asset = await raw(web.port, 'GET', '/assets/app-000000.js', BROWSER);
    expect(asset.status).toBe(404);
    expect(asset.body).not.toContain('<html');
  });

  it('leaves the API, socket.io and the runtime routes alone: unknown /api paths stay JSON 404', async () => {
    for (const path of ['/api/nope', '/api', '/api/alerts/x/y/z']) {
      const res = await raw(web.port, 'GET', path, BROWSER);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toMatch(/^application\/json/);
      expect(JSON.parse(res.body), path).toHaveProperty('error');
    }
    const session = await raw(web.port, 'GET', '/api/session', BROWSER);
    expect(session.status).toBe(401);
    expect(session.headers['content-type']).toMatch(/^application\/json/);
    const health = await raw(web.port, 'GET', '/healthz', BROWSER);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const metrics = await raw(web.port, 'GET', '/metrics', BROWSER);
    expect(metrics.body).toContain('# HELP');
    const socket = await raw(web.port, 'GET', '/socket.io/?EIO=4&transport=polling', BROWSER);
    expect(socket.body).not.toBe(INDEX);
  });

  it('serves GET and HEAD only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await raw(web.port, method, '/login', BROWSER);
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });

  it('never serves a file outside dist, nor a dotfile', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/assets/..%2F..%2Fsecret.txt',
      '//../secret.txt',
      '/%252e%252e/secret.txt',
      '/.env',
      '/%2eenv',
      '/index.html%00.js',
      '/%E0%A4%A',
    ];
    for (const path of attempts) {
      const res = await raw(web.port, 'GET', path, BROWSER);
      expect(res.body, path).not.toContain('SECRET');
      expect([200, 400, 404], path).toContain(res.status);
      // What does answer 200 is the app's own page, never the file.
      if (res.status === 200) expect(res.body, path).toBe(INDEX);
    }
  });

  it('without a build answers pages with a 503 that says how to build, and keeps the API working', async () => {
    const page = await raw(unbuilt.port, 'GET', '/', BROWSER);
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('pnpm --filter @wachtpost/console-web build');
    expectSecurityHeaders(page);
    const deep = await raw(unbuilt.port, 'GET', '/alerts/x', BROWSER);
    expect(deep.status).toBe(503);
    const curl = await raw(unbuilt.port, 'GET', '/', { accept: '*/*' });
    expect(curl.status).toBe(503);
    const api = await raw(unbuilt.port, 'GET', '/api/session');
    expect(api.status).toBe(401);
  });
});
