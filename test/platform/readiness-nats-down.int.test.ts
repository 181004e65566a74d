import { ingestService } from '@wachtpost/ingest';
import { loadConfig, runServices, type RunningSystem } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietLog, startIngestHarness, type IngestHarness } from '../support/harness';

describe('/readyz while NATS is down', () => {
  let h: IngestHarness;
  let system: RunningSystem;
  beforeAll(async () => {
    h = await startIngestHarness();
    system = await runServices([ingestService], {
      config: loadConfig(h.env),
      log: quietLog,
      installSignalHandlers: false,
    });
  });
  afterAll(async () => {
    await system.shutdown();
    await h.close();
  });

  it('blames NATS, not the services whose checks wait on it', async () => {
    await h.nats.kill();
    try {
      const res = await fetch(`http://127.0.0.1:${system.ctx.http.port}/readyz`);
      expect(res.status).toBe(503);
      const { checks } = (await res.json()) as { checks: Record<string, string> };
      expect(checks.nats).not.toBe('ok');
      expect(checks.database).toBe('ok');
      // Not "ingest did not answer in 2000 ms", which reads as ingest being broken.
      expect(checks.ingest).toBe('waiting for NATS (see "nats")');
    } finally {
      await h.nats.start();
    }
  });
});
