import { spawn } from 'node:child_process';
import type { AlertPush } from '@wachtpost/console';
import { alertSubject } from '@wachtpost/contracts';
import { REPO_ROOT } from '@wachtpost/platform';
import { connectLive, makeAlert, PASSWORD, startConsoleHarness, type LiveClient } from '../support/console';
import { waitFor } from '../support/harness';
import { freePort } from '../support/nats-server';
import type { Benchmark } from './registry';
import { percentile, round } from './stats';

const CLIENTS = 50;

/**
 * 50 socket.io clients watch one console server (its own process, as in production); alerts are published on
 * ALERTS at a steady rate, and each client's receipt time minus the publish time is one sample.
 */
export const fanoutBench: Benchmark = {
  name: 'fanout',
  async run({ durationS = 10, rate = 20 }) {
    const h = await startConsoleHarness();
    const port = await freePort();
    const server = spawn(process.execPath, ['--import', 'tsx', 'console/server/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: h.db.url,
        NATS_URL: h.nats.url,
        PORT: String(port),
        WACHTPOST_ADMIN_PASSWORD: PASSWORD,
        LOG_LEVEL: 'warn',
        LOG_PRETTY: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const clients: LiveClient[] = [];
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/readyz`)).ok, 30_000, 'the console server');
      await h.addUser('bench', 'operator');
      const cookie = await h.login(base, 'bench');
      for (let i = 0; i < CLIENTS; i++) clients.push(await connectLive(base, cookie));

      const publishedAt = new Map<string, number>();
      const samples: number[] = [];
      let received = 0;
      for (const client of clients) {
        client.socket.on('alert', (push: AlertPush) => {
          const at = publishedAt.get(push.alertId);
          if (at !== undefined) samples.push(performance.now() - at);
          received++;
        });
      }
      const total = Math.max(1, Math.round(durationS * rate));
      const encoder = new TextEncoder();
      const started = performance.now();
      for (let i = 0; i < total; i++) {
        // Paced against the start, so a slow publish does not stretch the run.
        const due = started + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const alert = makeAlert();
        publishedAt.set(alert.alertId, performance.now());
        await h.js.publish(alertSubject(alert.siteId, alert.wingId), encoder.encode(JSON.stringify(alert)), {
          msgID: `${alert.alertId}:${alert.rev}`,
        });
      }
      await waitFor(
        async () => received >= total * CLIENTS,
        30_000,
        `${total * CLIENTS} receipts (${received})`,
      );
      return [
        {
          bench: 'fanout',
          clients: CLIENTS,
          alerts: total,
          p50Ms: round(percentile(samples, 50)),
          p99Ms: round(percentile(samples, 99)),
          maxMs: round(percentile(samples, 100)),
        },
      ];
    } finally {
      for (const c of clients) c.close();
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      });
      await h.close();
    }
  },
};
