import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local PostgreSQL that tests create their databases on. */
export const ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  /** Refuses new connections and ends current ones: the database is down for this test only. */
  makeUnavailable(): Promise<void>;
  makeAvailable(): Promise<void>;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database of its own for one test file. */
export async function createTestDatabase(prefix = 'wp_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const terminate = (c: pg.Client) =>
    c.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  return {
    name,
    url: url.toString(),
    makeUnavailable: () =>
      admin(async (c) => {
        await c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await terminate(c);
      }),
    makeAvailable: () =>
      admin((c) => c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)).then(() => undefined),
    drop: () =>
      admin(async (c) => {
        await terminate(c);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}
