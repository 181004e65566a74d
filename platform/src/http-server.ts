import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';

export type ReadinessReport = { ready: boolean; checks: Record<string, string> };
/** A handler for routes beyond health and metrics; returns false when the request is not its own. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface HttpServer {
  server: Server;
  port: number;
  addHandler(handler: RouteHandler): void;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** `/healthz` (the process is alive), `/readyz` (NATS and the database answer), `/metrics` (Prometheus). */
export async function startHttpServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  readiness: () => Promise<ReadinessReport>;
  log: Logger;
}): Promise<HttpServer> {
  const handlers: RouteHandler[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (req.method === 'GET' && path === '/readyz') {
        const report = await options.readiness();
        return sendJson(res, report.ready ? 200 : 503, report);
      }
      if (req.method === 'GET' && path === '/metrics') {
        res.writeHead(200, { 'content-type': options.registry.contentType });
        return res.end(await options.registry.metrics());
      }
      for (const handler of handlers) if (await handler(req, res)) return;
      sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
    })().catch((err: unknown) => {
      options.log.error({ err, url: req.url }, 'HTTP handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${options.port} (PORT) is already in use: another Wachtpost, or another program, listens ` +
                `there; stop it or set PORT to a free port`
            : `cannot listen on port ${options.port} (PORT): ${err.message}`,
          { cause: err },
        ),
      ),
    );
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    addHandler: (handler) => void handlers.push(handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
