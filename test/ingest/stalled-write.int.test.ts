import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageOf, validEvent } from '../support/events';
import {
  capturingLog,
  notReadyReason,
  startIngestHarness,
  waitFor,
  type IngestHarness,
} from '../support/harness';

// A write that neither succeeds nor fails (a table locked by a manual ALTER or a stuck transaction, a server
// that stopped answering) stops ingest as surely as a database that is down, but without an error to report.
describe('ingest: a batch write that hangs', () => {
  let h: IngestHarness;
  beforeAll(async () => {
    h = await startIngestHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('makes the worker not ready and says so in the log, then recovers when the write goes through', async () => {
    const { log, lines } = capturingLog();
    const { worker } = await h.startWorker({ log, stalledAfterMs: 1000 });
    const locker = new pg.Client({ connectionString: h.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sensor_events IN ACCESS EXCLUSIVE MODE');
      await h.publish([messageOf(validEvent(0, Date.now(), 'stalled'))]);

      expect(await notReadyReason(worker)).toMatch(
        /^a batch write has waited \d+ s for the database: look for a lock or a long statement/,
      );
      const warning = lines.find((l) => l.level === 'warn');
      expect(warning?.msg).toMatch(
        /^a batch write has waited 1 s for the database and still waits: look for/,
      );

      await locker.query('COMMIT');
      await waitFor(async () => (await h.counts()).events === 1, 10_000, 'the event stored');
      await waitFor(
        () =>
          worker.ready().then(
            () => true,
            () => false,
          ),
        5000,
        'ready again',
      );
      expect(
        lines.some((l) => l.level === 'info' && l.msg.startsWith('the stalled batch write ended after')),
      ).toBe(true);
    } finally {
      await locker.end();
    }
  });
});
