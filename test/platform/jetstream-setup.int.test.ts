import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { DETECTORS_CONSUMER, INGEST_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { loadConfig, provisionJetStream } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietLog } from '../support/harness';
import { startNatsServer, type TestNatsServer } from '../support/nats-server';

const config = loadConfig({});

/** Takes `count` messages from a consumer and acknowledges each; returns their stream sequences. */
async function consumeAndAck(nc: NatsConnection, name: string, count: number): Promise<number[]> {
  const consumer = await jetstream(nc).consumers.get(SENSORS_STREAM, name);
  const seqs: number[] = [];
  while (seqs.length < count) {
    const m = await consumer.next({ expires: 5000 });
    if (!m) throw new Error(`no message from ${name} after ${seqs.join(',')}`);
    seqs.push(m.seq);
    await m.ackAck();
  }
  return seqs;
}

describe('JetStream provisioning', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('gives ingest an ack per message and the detectors one ack for all before it', async () => {
    await provisionJetStream(nc, config, quietLog);
    expect((await jsm.consumers.info(SENSORS_STREAM, INGEST_CONSUMER)).config.ack_policy).toBe(
      AckPolicy.Explicit,
    );
    expect((await jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER)).config.ack_policy).toBe(
      AckPolicy.All,
    );
  });

  it('moves an older deployment to AckAll without losing or repeating a message, and keeps it on re-runs', async () => {
    // As an earlier version provisioned it: explicit acks, six of ten messages acknowledged.
    await jsm.consumers.delete(SENSORS_STREAM, DETECTORS_CONSUMER);
    await jsm.consumers.add(SENSORS_STREAM, {
      durable_name: DETECTORS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(30_000),
    });
    const js = jetstream(nc);
    const first = (await jsm.streams.info(SENSORS_STREAM)).state.last_seq + 1;
    for (let i = 0; i < 10; i++) await js.publish('sensors.v1.demo.heartbeat.rf-1', new Uint8Array([i]));
    expect(await consumeAndAck(nc, DETECTORS_CONSUMER, 6)).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i));

    await provisionJetStream(nc, config, quietLog);
    const upgraded = await jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
    expect(upgraded.config.ack_policy).toBe(AckPolicy.All);
    expect(upgraded.num_pending).toBe(4);
    expect(await consumeAndAck(nc, DETECTORS_CONSUMER, 2)).toEqual([first + 6, first + 7]);

    // Provisioning again (every start does) leaves the consumer where it is.
    await provisionJetStream(nc, config, quietLog);
    const again = await jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
    expect(again.config.ack_policy).toBe(AckPolicy.All);
    expect(again.ack_floor.stream_seq).toBe(first + 7);
    expect(await consumeAndAck(nc, DETECTORS_CONSUMER, 2)).toEqual([first + 8, first + 9]);
  });
});
