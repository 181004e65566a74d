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
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  let child = spawn('nats-server', args, { stdio: 'ignore' });
  if (!(await waitForPort(port, 10_000))) {
    child.kill();
    throw new NatsUnavailableError(
      `nats-server was started but did not listen on 127.0.0.1:${port} within 10 s`,
    );
  }
  log.info({ storeDir }, `started nats-server with JetStream on 127.0.0.1:${port}`);

  // Ours to keep alive: a nats-server that dies (killed, out of memory) is started again on the same store,
  // so the streams come back and every service reconnects by itself. Waits grow to 30 s while it keeps dying.
  let stopping = false;
  let restartDelayMs = 500;
  const supervise = () =>
    child.once('exit', (code, signal) => {
      if (stopping) return;
      log.error({ code, signal, restartInMs: restartDelayMs }, 'nats-server exited; starting it again');
      setTimeout(() => {
        if (stopping) return;
        child = spawn('nats-server', args, { stdio: 'ignore' });
        supervise();
        void waitForPort(port, 10_000).then((up) => {
          if (up) {
            restartDelayMs = 500;
            log.info({ storeDir }, 'nats-server running again');
          }
        });
      }, restartDelayMs).unref();
      restartDelayMs = Math.min(30_000, restartDelayMs * 2);
    });
  supervise();
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
