import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats } from '@wachtpost/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { capturingLog, waitFor } from '../support/harness';
import { freePort, startNatsServer, waitForPort } from '../support/nats-server';

describe('what the log says about the NATS connection', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('an error from the server (a permission the NATS user lacks) is logged with its text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wachtpost-nats-perm-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const conf = join(dir, 'nats.conf');
    writeFileSync(
      conf,
      'authorization { users = [ { user: svc, password: pw, permissions: { publish: "allowed.>", subscribe: "_INBOX.>" } } ] }\n',
    );
    const port = await freePort();
    const server: ChildProcess = spawn('nats-server', ['-c', conf, '-a', '127.0.0.1', '-p', String(port)], {
      stdio: 'ignore',
    });
    cleanup.push(() => void server.kill('SIGKILL'));
    await waitForPort(port);

    const { log, lines } = capturingLog();
    const nats = { url: `nats://127.0.0.1:${port}`, user: 'svc', password: 'pw' };
    const nc = await connectNats({ nats }, log, 'test');
    cleanup.push(() => nc.close());
    for (let i = 0; i < 50; i++) nc.publish('forbidden.subject', 'x');
    await nc.flush();
    await waitFor(async () => lines.some((l) => l.level === 'error'), 5000, 'the error logged');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors[0]!.msg).toBe('NATS error: Permissions Violation for Publish to "forbidden.subject"');
    // One per message would flood the disk: ten a minute, the rest counted.
    expect(errors).toHaveLength(10);
  });

  it('a lost connection says it reconnects by itself; the reconnect is news, not a warning', async () => {
    const server = await startNatsServer();
    cleanup.push(() => server.stop());
    const { log, lines } = capturingLog();
    const nc = await connectNats(
      { nats: { url: server.url, user: undefined, password: undefined } },
      log,
      'test',
    );
    cleanup.push(() => nc.close());
    await server.restart(300);
    await waitFor(
      async () => lines.some((l) => l.msg.startsWith('NATS reconnected')),
      15_000,
      'the reconnect',
    );
    const said = lines.filter((l) => l.msg !== 'connected to NATS').map((l) => [l.level, l.msg]);
    expect(said).toEqual([
      [
        'warn',
        'NATS connection lost; reconnecting every 0.5 s until it answers (the services pause meanwhile)',
      ],
      ['info', 'NATS reconnected'],
    ]);
  });
});
