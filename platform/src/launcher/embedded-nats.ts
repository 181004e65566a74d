import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { isPortOpen, waitForPort } from './ports';

export interface LocalNats {
  url: string;
  stop(): Promise<void>;
}

export class NatsUnavailableError extends Error {
  override name = 'NatsUnavailableError';
}

/**
 * Finds NATS for a local start: a server already answering on 127.0.0.1:4222 (or `port`), else `nats-server` from the PATH
 * started with JetStream and its store in `dir`.
 */
export async function findOrStartNats(dir: string, log: Logger, port = 4222): Promise<LocalNats> {
  const url = `nats://127.0.0.1:${port}`;
  if (await isPortOpen(port)) {
    log.info(`using the NATS server on 127.0.0.1:${port}`);
    return { url, stop: async () => {} };
  }
  if (spawnSync('nats-server', ['--version']).error) {
    throw new NatsUnavailableError(
      `No NATS server answers on 127.0.0.1:${port} and nats-server is not on the PATH.\n` +
        '  Install one (Debian/Ubuntu: apt-get install nats-server; others: https://docs.nats.io, "Installing"),\n' +
        '  or point Wachtpost at a server with NATS_URL=nats://host:4222 (JetStream enabled).',
    );
  }
  const storeDir = join(dir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: 'ignore',
  });
  if (!(await waitForPort(port, 10_000))) {
    child.kill();
    throw new NatsUnavailableError(
      `nats-server was started but did not listen on 127.0.0.1:${port} within 10 s`,
    );
  }
  log.info({ storeDir }, `started nats-server with JetStream on 127.0.0.1:${port}`);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
