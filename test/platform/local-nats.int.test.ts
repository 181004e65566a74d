import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { findOrStartNats, NatsUnavailableError } from '@wachtpost/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { quietLog, waitFor } from '../support/harness';
import { freePort, startNatsServer } from '../support/nats-server';

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('the local NATS of pnpm start', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wachtpost-nats-data-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('uses a server that already answers', async () => {
    const running = await startNatsServer();
    try {
      const nats = await findOrStartNats(tempDir(), quietLog, running.port);
      expect(nats.url).toBe(running.url);
      await nats.stop(); // not ours: stays up
      const nc = await connect({ servers: running.url });
      await nc.close();
    } finally {
      await running.stop();
    }
  });

  it('starts nats-server from the PATH with JetStream in the data folder when none answers', async () => {
    const port = await freePort();
    const nats = await findOrStartNats(tempDir(), quietLog, port);
    try {
      const nc = await connect({ servers: nats.url });
      const info = await (await jetstreamManager(nc)).getAccountInfo();
      expect(info.limits).toBeDefined();
      await nc.close();
    } finally {
      await nats.stop();
    }
  });

  it('starts its nats-server again when it dies, on the same store', async () => {
    const port = await freePort();
    const nats = await findOrStartNats(tempDir(), quietLog, port);
    const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'KEPT', subjects: ['kept.>'] });
      // As the OOM killer would: no chance to shut down cleanly.
      execSync(`pkill -KILL -f '[n]ats-server -a 127.0.0.1 -p ${port} '`); // [n]: not this shell's own command line
      await waitFor(
        async () => (await (await jetstreamManager(nc)).streams.info('KEPT')).config.name === 'KEPT',
        20_000,
        'the stream back after the restart',
      );
    } finally {
      await nc.close();
      await nats.stop();
    }
    expect(await isListening(port)).toBe(false);
  });

  it('says how to get one when nats-server is not on the PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const attempt = findOrStartNats(tempDir(), quietLog, await freePort());
      await expect(attempt).rejects.toThrow(NatsUnavailableError);
      await expect(attempt).rejects.toThrow(/apt-get install nats-server[\s\S]*NATS_URL/);
    } finally {
      process.env.PATH = path;
    }
  });
});
