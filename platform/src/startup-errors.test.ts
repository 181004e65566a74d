import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './database';
import { createLogger } from './logger';
import { connectNats } from './nats';

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
