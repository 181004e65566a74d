import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { INGEST_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { ingestService } from '@wachtpost/ingest';
import {
  createPool,
  loadConfig,
  loadSites,
  migrate,
  runServices,
  type RunningSystem,
} from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageOf, validEvent } from '../support/events';
import { quietLog, startIngestHarness, waitFor, type IngestHarness } from '../support/harness';

describe('shared runtime', () => {
  let h: IngestHarness;
  let system: RunningSystem;
  let base: string;
  beforeAll(async () => {
    h = await startIngestHarness();
    system = await runServices([ingestService], {
      config: loadConfig(h.env),
      log: quietLog,
      installSignalHandlers: false,
    });
    base = `http://127.0.0.1:${system.ctx.http.port}`;
  });
  afterAll(async () => {
    await system.shutdown();
    await h.close();
  });

  it('serves liveness, readiness and the contract metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { nats: 'ok', database: 'ok', ingest: 'ok' } });

    await h.publish([messageOf(validEvent(0, Date.now(), 'runtime'))]);
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes('wachtpost_ingest_events_total{result="accepted"} 1') && text;
      },
      10_000,
      'the accepted event in /metrics',
    );
    expect(metrics).toContain('# TYPE wachtpost_ingest_lag_seconds histogram');
    expect(metrics).toContain('wachtpost_ingest_lag_seconds_count 1');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('provisions again, as pnpm start does, a consumer that went missing: ingest resumes by itself', async () => {
    const allInOne = await runServices([ingestService], {
      config: loadConfig(h.env),
      log: quietLog,
      setup: true,
      installSignalHandlers: false,
    });
    try {
      await (await jetstreamManager(h.nc)).consumers.delete(SENSORS_STREAM, INGEST_CONSUMER);
      await h.publish([messageOf(validEvent(0, Date.now(), 'reprovisioned'))]);
      await waitFor(
        async () => {
          const { rows } = await h.pool.query(
            "SELECT 1 FROM sensor_events WHERE event_id = 'reprovisioned-0'",
          );
          return rows.length === 1;
        },
        20_000,
        'the event published after the consumer was deleted to be stored',
      );
    } finally {
      await allInOne.shutdown();
    }
  });

  it('is not ready while the database is away, and ready again when it returns', async () => {
    await h.db.makeUnavailable();
    try {
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      const body = (await down.json()) as { checks: Record<string, string> };
      expect(body.checks.database).not.toBe('ok');
      expect(body.checks.nats).toBe('ok');
    } finally {
      await h.db.makeAvailable();
    }
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 10_000, 'ready again');
  });

  it('migrations run once: a second run changes nothing', async () => {
    await migrate(h.db.url, quietLog);
    const { rows } = await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]?.n).toBeGreaterThanOrEqual(2);
    await migrate(h.db.url, quietLog);
    const again = await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(again.rows[0]?.n).toBe(rows[0]?.n);
  });
  it('a connection ended by the server while checked out is logged, not thrown', async () => {
    const pool = createPool(loadConfig(h.env), h.db.url, quietLog);
    try {
      const client = await pool.connect();
      const ended = new Promise((resolve) => client.once('end', resolve));
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Between two queries, as the ingest writer is between its COPY statements.
      await h.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await ended;
      client.release(true);
      // Without the pool's own listener that 'error' would have been an uncaught exception.
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe('configuration errors name what is wrong', () => {
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a bad site model file names the file and the bad path', () => {
    const dir = tempDir('wachtpost-sites-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'id: pi-x\nname: X\ntimezone: Europe/Amsterdam\nairspace: [[0,0],[0,1],[1,1]]\nwings:\n  - { id: a, name: A, regime: jail, cells: [a-1] }\n',
    );
    expect(() => loadSites(dir)).toThrow(/bad\.yaml[\s\S]*wings\[0\]\.regime/);
  });

  it('an empty sites folder and a missing path are reported', () => {
    expect(() => loadSites(tempDir('wachtpost-empty-'))).toThrow(/no \.yaml, \.yml or \.json/);
    expect(() => loadSites('/nonexistent/sites')).toThrow(/cannot read/);
  });

  it('a bad environment variable is named', () => {
    expect(() => loadConfig({ PORT: 'eighty', INGEST_BATCH_SIZE: '0' })).toThrow(
      /PORT[\s\S]*INGEST_BATCH_SIZE/,
    );
  });
});
