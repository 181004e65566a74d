import { createPool } from '@wachtpost/platform';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { capturingLog, waitFor } from '../support/harness';

describe('pg pool: a connection killed under it (pg_terminate_backend, a restart, a failover)', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);
  const backendPid = async (q: { query: pg.Pool['query'] }) =>
    (await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  it('an idle connection lost: one line saying it was idle, short, and the pool works on', async () => {
    const { log, lines } = capturingLog();
    const pool = createPool({ pgPoolSize: 2 }, db.url, log);
    try {
      await terminate(await backendPid(pool));
      await waitFor(async () => lines.length > 0, 5000, 'a log line');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(lines.map((l) => l.msg)).toEqual([
        'idle database connection lost (server restart, failover or pg_terminate_backend); the pool opens a new one when needed',
      ]);
      // The reason in words, not the error object (pg hangs the whole client on it: kilobytes per line).
      expect(lines[0]!.fields).toEqual({ err: 'terminating connection due to administrator command' });
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('a connection lost while checked out: one line saying it was in use', async () => {
    const { log, lines } = capturingLog();
    const pool = createPool({ pgPoolSize: 2 }, db.url, log);
    const client = await pool.connect();
    try {
      await terminate(await backendPid(client));
      await waitFor(async () => lines.length > 0, 5000, 'a log line');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(lines.map((l) => l.msg)).toEqual([
        'database connection lost while in use (server restart, failover or pg_terminate_backend); its query fails and is retried',
      ]);
    } finally {
      client.release(true);
      await pool.end();
    }
  });
});
