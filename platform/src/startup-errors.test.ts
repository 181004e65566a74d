import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { migrate } from './database';
import { createLogger } from './logger';
import { connectNats } from './nats';
import { runServices } from './runtime';

const log = createLogger({ log: { level: 'silent', pretty: false } });

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server that accepts connections and never says a word: a hung database, a half-open firewall. */
async function silentServer(): Promise<number> {
  const server = createServer((socket) => void sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const failure = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => new Error('expected a failure'),
    (err: unknown) => err as Error,
  );

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('start-up against dependencies that do not answer', () => {
  it('gives up on a database that takes the connection but never answers, naming it and DATABASE_URL', async () => {
    const port = await silentServer();
    const started = Date.now();
    const url = `postgres://wachtpost:secret@127.0.0.1:${port}/wachtpost`;
    const error = await failure(migrate(url, log, { connectTimeoutMs: 500 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message).toMatch(
      new RegExp(
        `^cannot connect to the database at postgres://wachtpost:\\*\\*\\*@127\\.0\\.0\\.1:${port}/wachtpost \\(DATABASE_URL\\): .*timeout`,
      ),
    );
    expect(error.message).not.toContain('secret');
  });

  it('names the database and DATABASE_URL when the connection is refused', async () => {
    const port = await closedPort();
    const error = await failure(migrate(`postgres://postgres@127.0.0.1:${port}/db`, log));
    expect(error.message).toBe(
      `cannot connect to the database at postgres://postgres@127.0.0.1:${port}/db (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it('names NATS and NATS_URL when the connection is refused', async () => {
    const port = await closedPort();
    const url = `nats://127.0.0.1:${port}`;
    const nats = { url, user: undefined, password: undefined };
    const error = await failure(connectNats({ nats }, log, 'test'));
    expect(error.message).toMatch(new RegExp(`^cannot connect to NATS at ${url} \\(NATS_URL\\): `));
  });
});

describe('start-up on a port in use', () => {
  it('stops at once with a line naming the port and PORT, before it migrates or provisions anything', async () => {
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const { port } = taken.address() as AddressInfo;
    // Database and NATS refuse: reaching either first would fail with their error, not the port's.
    const closed = await closedPort();
    const config = loadConfig({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/wachtpost`,
      NATS_URL: `nats://127.0.0.1:${closed}`,
      PORT: String(port),
    });
    const error = await failure(runServices([], { config, log, setup: true, installSignalHandlers: false }));
    expect(error.message).toBe(
      `port ${port} (PORT) is already in use: another Wachtpost, or another program, listens there; ` +
        'stop it or set PORT to a free port',
    );
  });

  it('gives the port back when a later start-up step fails', async () => {
    const closed = await closedPort();
    const port = await closedPort();
    const config = loadConfig({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/wachtpost`,
      PORT: String(port),
    });
    const error = await failure(runServices([], { config, log, setup: true, installSignalHandlers: false }));
    expect(error.message).toContain('cannot connect to the database');
    const again = createServer();
    servers.push(again);
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '0.0.0.0', resolve);
    });
  });
});
