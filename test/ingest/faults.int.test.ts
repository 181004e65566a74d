import { spawn, type ChildProcess } from 'node:child_process';
import { jetstreamManager } from '@nats-io/jetstream';
import { INGEST_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { provisionJetStream, REPO_ROOT } from '@wachtpost/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messageOf, validEvent } from '../support/events';
import {
  metricValue,
  notReadyReason,
  quietLog,
  startIngestHarness,
  waitFor,
  type IngestHarness,
} from '../support/harness';

/** An ingest worker as its own process, as production runs it. */
function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'ingest/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, INGEST_BATCH_SIZE: '500' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

async function expectEachStoredOnce(h: IngestHarness, prefix: string, total: number) {
  const { rows } = await h.pool.query<{ n: number; distinct: number; min: string; max: string }>(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM sensor_events WHERE event_id LIKE $1`,
    [`${prefix}-%`],
  );
  expect(rows[0]).toMatchObject({ n: total, distinct: total });
}

describe('ingest under faults', () => {
  let h: IngestHarness;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    h = await startIngestHarness();
  });
  afterEach(async () => {
    await h.stopWorkers();
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
  });
  afterAll(() => h.close());

  it('a worker killed mid-batch and restarted loses and duplicates nothing', async () => {
    const total = 40_000;
    await h.publish(
      Array.from({ length: total }, (_, i) => messageOf(validEvent(i, Date.now() - 300_000, 'kill'))),
    );
    const first = spawnWorker(h.env);
    children.push(first);
    // Kill it while it is writing: some batches committed, others in flight or unacknowledged.
    const atKill = await waitFor(
      async () => {
        const { events } = await h.counts();
        return events > 2000 && events;
      },
      60_000,
      'the first worker to store some events',
    );
    first.kill('SIGKILL');
    await exited(first);
    const afterKill = (await h.counts()).events;
    expect(afterKill).toBeLessThan(total);
    expect(afterKill).toBeGreaterThanOrEqual(atKill);

    const second = spawnWorker(h.env);
    children.push(second);
    await waitFor(
      async () => (await h.counts()).events === total,
      120_000,
      'the restarted worker to catch up',
    );
    await expectEachStoredOnce(h, 'kill', total);
  });

  it('the database unavailable for several seconds under load loses nothing', async () => {
    const { registry } = await h.startWorker({ batchSize: 200 });
    const total = 12_000;
    const events = Array.from({ length: total }, (_, i) =>
      messageOf(validEvent(i, Date.now() - 300_000, 'dbdown')),
    );
    // Publish steadily for about 6 s while the database goes away for 4 s in the middle.
    const publishing = (async () => {
      for (let i = 0; i < total; i += 400) {
        await h.publish(events.slice(i, i + 400));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    await h.db.makeUnavailable();
    await new Promise((r) => setTimeout(r, 4000));
    await h.db.makeAvailable();
    await publishing;
    await waitFor(
      async () =>
        (await h.pool.query(`SELECT count(*)::int AS n FROM sensor_events WHERE event_id LIKE 'dbdown-%'`))
          .rows[0].n === total,
      60_000,
      'every event stored after the database returned',
    );
    await expectEachStoredOnce(h, 'dbdown', total);
    expect(await metricValue(registry, 'wachtpost_ingest_write_retries_total')).toBeGreaterThan(0);
    expect(await metricValue(registry, 'wachtpost_ingest_events_total', { result: 'accepted' })).toBe(total);
  });

  it('a database outage longer than the ack wait: the worker takes no more than it holds, and stores each event once', async () => {
    const batchSize = 200;
    const { registry } = await h.startWorker({ batchSize });
    await h.db.makeUnavailable();
    const total = 5000;
    await h.publish(
      Array.from({ length: total }, (_, i) => messageOf(validEvent(i, Date.now() - 300_000, 'longdown'))),
    );
    // Two and a half ack waits (5 s here): what the worker holds it keeps, and it pulls no more meanwhile, so
    // the rest waits in the stream (for another worker) instead of piling up in this one's memory.
    await new Promise((r) => setTimeout(r, 12_500));
    const info = await (await jetstreamManager(h.nc)).consumers.info(SENSORS_STREAM, INGEST_CONSUMER);
    const { maxInFlight } = h.config.ingest;
    // Batches being written, the one filling, and nats.js's pull window.
    expect(info.num_ack_pending).toBeLessThanOrEqual(batchSize * (maxInFlight + 1 + maxInFlight + 1));
    await h.db.makeAvailable();
    await waitFor(
      async () =>
        (await metricValue(registry, 'wachtpost_ingest_events_total', { result: 'accepted' })) === total,
      60_000,
      'every event stored after the database returned',
    );
    await expectEachStoredOnce(h, 'longdown', total);
  });

  it('stopped while the database is away, a worker gives its batches up unacknowledged instead of hanging', async () => {
    const first = await h.startWorker({ batchSize: 100 });
    await h.db.makeUnavailable();
    const total = 500;
    await h.publish(
      Array.from({ length: total }, (_, i) => messageOf(validEvent(i, Date.now() - 300_000, 'stopdown'))),
    );
    await waitFor(
      async () => (await metricValue(first.registry, 'wachtpost_ingest_write_retries_total')) > 0,
      10_000,
      'writes failing',
    );
    const stopping = Date.now();
    await first.worker.stop();
    expect(Date.now() - stopping).toBeLessThan(3000);
    expect(await metricValue(first.registry, 'wachtpost_ingest_events_total', { result: 'accepted' })).toBe(
      0,
    );
    // JetStream hands the messages out again after the ack wait (5 s here): the next worker stores them.
    await h.db.makeAvailable();
    const next = await h.startWorker();
    await waitFor(
      async () =>
        (await metricValue(next.registry, 'wachtpost_ingest_events_total', { result: 'accepted' })) === total,
      30_000,
      'every event stored by the next worker',
    );
    await expectEachStoredOnce(h, 'stopdown', total);
  });

  it('a NATS restart pauses the worker, which reconnects and resumes', async () => {
    const { registry } = await h.startWorker();
    const before = Array.from({ length: 3000 }, (_, i) =>
      messageOf(validEvent(i, Date.now() - 300_000, 'natsrestart')),
    );
    await h.publish(before);
    await waitFor(
      async () =>
        (await metricValue(registry, 'wachtpost_ingest_events_total', { result: 'accepted' })) === 3000,
      30_000,
      'events before the restart',
    );
    await h.nats.restart(1000);
    const after = Array.from({ length: 3000 }, (_, i) =>
      messageOf(validEvent(3000 + i, Date.now() - 300_000, 'natsrestart')),
    );
    // The publisher reconnects too; JetStream is back once the stream answers.
    await waitFor(
      async () => {
        await h.publish(after.slice(0, 1));
        return true;
      },
      30_000,
      'JetStream back after the restart',
    );
    await h.publish(after);
    await waitFor(
      async () =>
        (await metricValue(registry, 'wachtpost_ingest_events_total', { result: 'accepted' })) === 6000,
      60_000,
      'events after the restart',
    );
    await expectEachStoredOnce(h, 'natsrestart', 6000);
  });

  it('a deleted consumer makes the worker not ready, saying why, and it resumes once migrate recreates it', async () => {
    const { worker, registry } = await h.startWorker();
    const accepted = () => metricValue(registry, 'wachtpost_ingest_events_total', { result: 'accepted' });
    const events = Array.from({ length: 6 }, (_, i) => messageOf(validEvent(i, Date.now() - 60_000, 'gone')));
    await h.publish(events.slice(0, 3));
    await waitFor(async () => (await accepted()) === 3, 30_000, 'events before the deletion');
    await worker.ready();

    await (await jetstreamManager(h.nc)).consumers.delete(SENSORS_STREAM, INGEST_CONSUMER);
    const reason = await notReadyReason(worker);
    expect(reason).toMatch(/consumer "ingest" on SENSORS is gone .*run the migrate step/);
    await h.publish(events.slice(3));

    await provisionJetStream(h.nc, h.config, quietLog);
    await waitFor(
      () =>
        worker.ready().then(
          () => true,
          () => false,
        ),
      10_000,
      'ready again',
    );
    // The worker consumes afresh as soon as it sees the consumer again (nats.js alone: after two missed
    // heartbeats, 30 s and more); the recreated consumer starts at the stream's first message.
    await waitFor(async () => (await accepted()) === 6, 15_000, 'events after the consumer came back');
    await expectEachStoredOnce(h, 'gone', 6);
  }, 60_000);
});
