import { prepareBatch } from '@wachtpost/ingest';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { demoSites, messageOf, validEvent } from '../support/events';
import { startIngestHarness } from '../support/harness';
import type { Benchmark } from './registry';
import { round } from './stats';

const COLUMNS =
  'event_id, site_id, kind, sensor_id, observed_at, seq, exercise, wing_id, zone_id, stream_seq, body';

// COPY text format: tab-separated, \N for null, backslash escapes.
const copyField = (v: string | number | boolean | null) =>
  v === null
    ? '\\N'
    : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/**
 * N events published into SENSORS, then the time for one ingest worker (production defaults) to commit them all;
 * in the same run, a raw COPY of the same rows into the same table, the database's own ceiling.
 */
export const ingestBench: Benchmark = {
  name: 'ingest',
  async run({ events = 200_000 }) {
    const h = await startIngestHarness();
    try {
      const observed = Date.now() - 60_000;
      const messages = Array.from({ length: events }, (_, i) =>
        messageOf(validEvent(i, observed + (i % 60_000), 'b')),
      );
      await h.publish(messages, 2000);

      let committed = 0;
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      const started = performance.now();
      await h.startWorker({
        onCommitted: (rows) => {
          committed += rows.length;
          if (committed >= events) finished();
        },
      });
      await done;
      const pipelineSeconds = (performance.now() - started) / 1000;
      await h.stopWorkers();

      // The same rows, as the worker would write them, straight into the table with COPY.
      const { accepted } = prepareBatch(
        messages.map((m, i) => ({ subject: m.subject, data: m.data, streamSeq: i + 1 })),
        { sites: demoSites, now: Date.now() },
      );
      const lines = accepted.map((r) => {
        const e = r.event;
        return (
          [
            e.eventId,
            e.siteId,
            e.kind,
            e.sensorId,
            e.observedAt,
            e.seq ?? null,
            e.exercise,
            r.wingId,
            r.zoneId,
            r.streamSeq,
            JSON.stringify(e),
          ]
            .map(copyField)
            .join('\t') + '\n'
        );
      });
      const client = new pg.Client({ connectionString: h.db.url });
      await client.connect();
      await client.query('TRUNCATE sensor_events');
      await client.query('VACUUM ANALYZE sensor_events');
      const copyStarted = performance.now();
      await pipeline(
        Readable.from(lines),
        client.query(copyStreams.from(`COPY sensor_events (${COLUMNS}) FROM STDIN`)),
      );
      const copySeconds = (performance.now() - copyStarted) / 1000;
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM sensor_events');
      await client.end();
      if (rows[0]?.n !== events) throw new Error(`COPY stored ${rows[0]?.n} rows, expected ${events}`);

      const eventsPerSec = events / pipelineSeconds;
      const copyRowsPerSec = events / copySeconds;
      return [
        {
          bench: 'ingest',
          events,
          eventsPerSec: Math.round(eventsPerSec),
          copyRowsPerSec: Math.round(copyRowsPerSec),
          ratio: round(eventsPerSec / copyRowsPerSec, 2),
        },
      ];
    } finally {
      await h.close();
    }
  },
};
