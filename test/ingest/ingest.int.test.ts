import { REJECT_REASONS } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultyMessage, messageOf, validEvent, type OutgoingMessage } from '../support/events';
import { metricValue, startIngestHarness, waitFor, type IngestHarness } from '../support/harness';

describe('ingest: exact counts in tables and metrics', () => {
  let h: IngestHarness;
  beforeAll(async () => {
    h = await startIngestHarness();
  });
  afterAll(() => h.close());

  it('stores 10,000 mixed messages with duplicates and every reject reason exactly', async () => {
    const now = Date.now();
    const valid = Array.from({ length: 8000 }, (_, i) => validEvent(i, now - 60_000 + i));
    const messages: OutgoingMessage[] = valid.map((e) => messageOf(e));
    for (const reason of REJECT_REASONS) {
      for (let i = 0; i < 100; i++) messages.push(faultyMessage(reason, i, now));
    }
    // Repeats with the same Nats-Msg-Id are dropped by the stream; repeats without it reach ingest.
    const resentWithId = valid.slice(0, 500).map((e) => messageOf(e, true));
    const resentWithoutId = valid.slice(1000, 1800).map((e) => messageOf(e, false));
    expect(messages.length + resentWithId.length + resentWithoutId.length).toBe(10_000);

    const { registry } = await h.startWorker();
    await h.publish(messages);
    await h.publish([...resentWithId, ...resentWithoutId]);

    const rejectedTotal = REJECT_REASONS.length * 100;
    await waitFor(
      async () => {
        const c = await h.counts();
        const duplicates = await metricValue(registry, 'wachtpost_ingest_events_total', {
          result: 'duplicate',
        });
        return (
          c.events === 8000 &&
          Object.values(c.rejected).reduce((a, b) => a + b, 0) === rejectedTotal &&
          duplicates === 800
        );
      },
      60_000,
      'all messages handled',
    );
    const counts = await h.counts();
    expect(counts.events).toBe(8000);
    expect(counts.rejected).toEqual(Object.fromEntries(REJECT_REASONS.map((r) => [r, 100])));

    expect(await metricValue(registry, 'wachtpost_ingest_events_total', { result: 'accepted' })).toBe(8000);
    expect(await metricValue(registry, 'wachtpost_ingest_events_total', { result: 'duplicate' })).toBe(800);
    for (const reason of REJECT_REASONS) {
      expect(
        await metricValue(registry, 'wachtpost_ingest_events_total', { result: 'rejected', reason }),
      ).toBe(100);
    }
    const metrics = await registry.metrics();
    expect(metrics).toContain('wachtpost_ingest_lag_seconds_count 8000');

    // Rejections keep the raw bytes, subject and a reason a person can act on.
    const { rows } = await h.pool.query<{ reason: string; detail: string; subject: string; raw: Buffer }>(
      `SELECT DISTINCT ON (reason) reason, detail, subject, raw FROM rejected_events ORDER BY reason, id`,
    );
    const byReason = Object.fromEntries(rows.map((r) => [r.reason, r]));
    expect(byReason.json?.raw.toString()).toMatch(/^\{"v":1,"eventId":"bad-json-/);
    expect(byReason.subject?.detail).toMatch(/differs from subject/);
    expect(byReason.subject?.subject).toMatch(/^sensors\.v1\.other-site\./);
    expect(byReason.site?.detail).toMatch(/unknown site "nowhere"/);
    expect(byReason.zone?.detail).toMatch(/no zone "no-such-zone"/);
    expect(byReason.clock?.detail).toMatch(/ahead of the receiving clock/);
    expect(byReason.size?.raw.length).toBeGreaterThan(64 * 1024);

    // The stored body is the validated event: defaults applied, bearings normalised, columns derived.
    const drone = await h.pool.query<{
      body: { bearingDeg: number; category: string };
      wing_id: string | null;
      zone_id: string | null;
    }>(`SELECT body, wing_id, zone_id FROM sensor_events WHERE event_id = 't-1'`);
    expect(drone.rows[0]?.body.bearingDeg).toBeCloseTo(335.64, 6);
    expect(drone.rows[0]?.body.category).toBe('drone');
    expect(drone.rows[0]?.zone_id).toBe('yard-1');
  });

  it('rejects an event the database refuses and stores the rest of its batch', async () => {
    const now = Date.now();
    const good = Array.from({ length: 50 }, (_, i) => messageOf(validEvent(i * 5, now, 'poison-batch')));
    // jsonb cannot hold \u0000: the contract accepts the string, PostgreSQL refuses the row.
    const poison = messageOf({ ...validEvent(0, now, 'poison'), band: 'b\u0000d' } as never);
    const before = await h.counts();
    await h.publish([...good.slice(0, 25), poison, ...good.slice(25)]);
    await waitFor(
      async () => {
        const c = await h.counts();
        return (
          c.events === before.events + 50 && (c.rejected.schema ?? 0) === (before.rejected.schema ?? 0) + 1
        );
      },
      30_000,
      'the poison event rejected and the rest stored',
    );
    const { rows } = await h.pool.query<{ detail: string; event_id: string }>(
      `SELECT detail, event_id FROM rejected_events WHERE event_id = 'poison-0'`,
    );
    expect(rows[0]?.detail).toMatch(/the database refused the event/);
  });
});

describe('ingest: lag of events stamped ahead of the clock', () => {
  let h: IngestHarness;
  beforeAll(async () => {
    h = await startIngestHarness();
  });
  afterAll(() => h.close());

  it('counts as no lag, not negative lag, an event from a sensor clock running ahead', async () => {
    // Two minutes ahead: inside the contract's five, so accepted.
    const ahead = Date.now() + 120_000;
    const { registry } = await h.startWorker();
    await h.publish(Array.from({ length: 3 }, (_, i) => messageOf(validEvent(i, ahead, 'ahead'))));
    await waitFor(async () => (await h.counts()).events === 3, 30_000, 'the events stored');
    const metrics = await registry.metrics();
    expect(metrics).toContain('wachtpost_ingest_lag_seconds_count 3');
    const sum = Number(/^wachtpost_ingest_lag_seconds_sum (\S+)$/m.exec(metrics)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(sum).toBeLessThan(30);
  });
});

describe('ingest: workers sharing the consumer', () => {
  let h: IngestHarness;
  beforeAll(async () => {
    h = await startIngestHarness();
  });
  afterAll(() => h.close());

  it('two workers store each event once', async () => {
    const now = Date.now();
    const total = 20_000;
    await h.publish(
      Array.from({ length: total }, (_, i) => messageOf(validEvent(i, now - 120_000, 'shared'))),
    );
    const [a, b] = await Promise.all([h.startWorker({ batchSize: 500 }), h.startWorker({ batchSize: 500 })]);
    await waitFor(async () => (await h.counts()).events === total, 60_000, 'all events stored');
    const acceptedA = await metricValue(a.registry, 'wachtpost_ingest_events_total', { result: 'accepted' });
    const acceptedB = await metricValue(b.registry, 'wachtpost_ingest_events_total', { result: 'accepted' });
    expect(acceptedA + acceptedB).toBe(total);
    expect(acceptedA).toBeGreaterThan(0);
    expect(acceptedB).toBeGreaterThan(0);
    const dupes = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT event_id FROM sensor_events GROUP BY event_id HAVING count(*) > 1) d`,
    );
    expect(dupes.rows[0]?.n).toBe(0);
  });
});
