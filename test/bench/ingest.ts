import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { INGEST_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { copyText, prepareBatch, SENSOR_EVENT_COLUMNS } from '@wachtpost/ingest';
import { sensorConsumers, type Config, type NatsConnection } from '@wachtpost/platform';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { demoSites, messageOf, validEvent } from '../support/events';
import { startIngestHarness } from '../support/harness';
import type { Benchmark } from './registry';
import { readProcessCpu, cpuUsPerUnit, machineBusyUs, round } from './stats';

const PROGRAMS = ['node', 'postgres', 'nats-server'] as const;

/**
 * The same messages through a consumer configured as `ingest`, acknowledged as they arrive and otherwise
 * ignored: what JetStream alone delivers to one consumer here, the ceiling of any worker on it.
 */
async function consumeAndAckOnly(
  nc: NatsConnection,
  config: Config,
  events: number,
  maxMessages: number,
): Promise<{ perSec: number; cpuUsPerEvent: number; cpuUsPerEventBy: Record<string, number> }> {
  const ingest = sensorConsumers(config).find((c) => c.durable_name === INGEST_CONSUMER)!;
  await (await jetstreamManager(nc)).consumers.add(SENSORS_STREAM, { ...ingest, durable_name: 'bare' });
  const consumer = await jetstream(nc).consumers.get(SENSORS_STREAM, 'bare');
  let acked = 0;
  let allAcked!: () => void;
  const done = new Promise<void>((resolve) => (allAcked = resolve));
  const busyBefore = machineBusyUs();
  const byProgramBefore = readProcessCpu();
  const started = performance.now();
  // A callback: JetStream's own cost. Through the async iterator, each acknowledgement sent in its own promise
  // turn is a socket write of its own, twice the CPU per message (the worker acknowledges a batch per turn).
  const messages = await consumer.consume({
    max_messages: maxMessages,
    callback: (m) => {
      m.ack();
      if (++acked === events) allAcked();
    },
  });
  await done;
  await nc.flush();
  const seconds = (performance.now() - started) / 1000;
  const busyUs = (machineBusyUs() ?? NaN) - (busyBefore ?? NaN);
  const cpuUsPerEventBy = cpuUsPerUnit(byProgramBefore, readProcessCpu(), events, PROGRAMS);
  await messages.close();
  return { perSec: events / seconds, cpuUsPerEvent: busyUs / events, cpuUsPerEventBy };
}

/**
 * N events published into SENSORS, then the time for one ingest worker (production defaults) to commit them all;
 * in the same run, a raw COPY of the same rows into the same table, the database's own ceiling, and a consumer
 * that only acknowledges them, JetStream's own ceiling.
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
      const busyBefore = machineBusyUs();
      const byProgramBefore = readProcessCpu();
      const started = performance.now();
      await h.startWorker({
        onCommitted: (rows) => {
          committed += rows.length;
          if (committed >= events) finished();
        },
      });
      await done;
      const pipelineSeconds = (performance.now() - started) / 1000;
      const pipelineBusyUs = (machineBusyUs() ?? NaN) - (busyBefore ?? NaN);
      const pipelineByProgram = cpuUsPerUnit(byProgramBefore, readProcessCpu(), events, PROGRAMS);
      await h.stopWorkers();
      const { batchSize, maxInFlight } = h.config.ingest;
      const consumeAck = await consumeAndAckOnly(h.nc, h.config, events, batchSize * (maxInFlight + 1));

      // The same rows, as the worker would write them, straight into the table with COPY.
      const { accepted } = prepareBatch(
        messages.map((m, i) => ({ subject: m.subject, data: m.data, streamSeq: i + 1 })),
        { sites: demoSites, now: Date.now() },
      );
      // In chunks of 5,000 rows, encoded exactly as the worker encodes its COPY batches.
      const chunks = Array.from({ length: Math.ceil(accepted.length / 5000) }, (_, i) =>
        copyText(accepted.slice(i * 5000, (i + 1) * 5000)),
      );
      const client = new pg.Client({ connectionString: h.db.url });
      await client.connect();
      await client.query('TRUNCATE sensor_events');
      await client.query('VACUUM ANALYZE sensor_events');
      const copyBusyBefore = machineBusyUs();
      const copyStarted = performance.now();
      await pipeline(
        Readable.from(chunks),
        client.query(copyStreams.from(`COPY sensor_events (${SENSOR_EVENT_COLUMNS}) FROM STDIN`)),
      );
      const copySeconds = (performance.now() - copyStarted) / 1000;
      const copyBusyUs = (machineBusyUs() ?? NaN) - (copyBusyBefore ?? NaN);
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
          consumeAckPerSec: Math.round(consumeAck.perSec),
          ratioToConsumeAck: round(eventsPerSec / consumeAck.perSec, 2),
          // CPU time of the whole machine (NATS, Node, PostgreSQL) per event: on two cores the pipeline is
          // CPU-bound, so this is what a faster pipeline has to reduce.
          cpuUsPerEvent: round(pipelineBusyUs / events),
          // The same by program: what the worker (node), the database and the NATS server each cost.
          cpuUsPerEventBy: pipelineByProgram,
          copyCpuUsPerRow: round(copyBusyUs / events),
          consumeAckCpuUsPerEvent: round(consumeAck.cpuUsPerEvent),
          consumeAckCpuUsPerEventBy: consumeAck.cpuUsPerEventBy,
        },
      ];
    } finally {
      await h.close();
    }
  },
};
