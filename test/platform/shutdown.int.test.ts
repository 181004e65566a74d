import { loadConfig, runServices, type Service } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { capturingLog } from '../support/harness';
import { startNatsServer, type TestNatsServer } from '../support/nats-server';

// A service whose stop never returns (a write waiting on a locked table, a hung server) must not hold the whole
// shutdown until the signal handler's 15 s kill, with nothing in the log but "shutting down".
describe('shutdown with a service that does not stop', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await nats.stop();
    await db.drop();
  });

  it('names the step that hung, goes on without it, and still closes what comes after', async () => {
    const stuck: Service = {
      name: 'stuck',
      start: () => Promise.resolve({ stop: () => new Promise<void>(() => undefined) }),
    };
    let closedAfter = false;
    const { log, lines } = capturingLog();
    const system = await runServices([stuck], {
      config: loadConfig({ DATABASE_URL: db.url, NATS_URL: nats.url, PORT: '0' }),
      log,
      installSignalHandlers: false,
      stopStepMs: 500,
      onShutdown: [() => Promise.resolve(void (closedAfter = true))],
    });
    const began = Date.now();
    await system.shutdown();
    expect(Date.now() - began).toBeLessThan(3000);
    expect(lines).toContainEqual({
      level: 'error',
      msg: 'stopping stuck did not finish within 0.5 s; shutting down without it',
    });
    expect(closedAfter).toBe(true);
    expect(lines.at(-1)).toEqual({ level: 'info', msg: 'stopped' });
  });
});
