import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  ALERT_SUBJECTS,
  ALERTS_STREAM,
  DETECTORS_CONSUMER,
  INGEST_CONSUMER,
  SENSOR_SUBJECTS,
  SENSORS_STREAM,
} from '@wachtpost/contracts';
import type { Config } from './config';
import type { Logger } from './logger';

function streamConfigs(config: Pick<Config, 'sensors'>): (Partial<StreamConfig> & { name: string })[] {
  return [
    {
      name: SENSORS_STREAM,
      subjects: [SENSOR_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(config.sensors.retentionMs),
      // Gateways set Nats-Msg-Id to the eventId; repeats inside this window are dropped by the server.
      duplicate_window: nanos(config.sensors.duplicateWindowMs),
      // Larger than the contract's 64 KiB so oversized messages reach ingest and are stored as rejected.
      max_msg_size: 1024 * 1024,
    },
    {
      name: ALERTS_STREAM,
      subjects: [ALERT_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(30 * 86_400_000),
      duplicate_window: nanos(120_000),
    },
  ];
}

const durable = (name: string, description: string, ackWaitMs: number): Partial<ConsumerConfig> => ({
  durable_name: name,
  description,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All,
  ack_wait: nanos(ackWaitMs),
  max_ack_pending: 50_000,
  max_deliver: -1,
});

/** Durable consumers on SENSORS; workers send `working()` while they retry, so ack wait bounds crash recovery only. */
export function sensorConsumers(config: Pick<Config, 'sensors'>): Partial<ConsumerConfig>[] {
  return [
    durable(
      INGEST_CONSUMER,
      'ingest workers: validate and store every sensor event',
      config.sensors.ackWaitMs,
    ),
    durable(DETECTORS_CONSUMER, 'detectors: correlate sensor events into alerts', config.sensors.ackWaitMs),
  ];
}

/**
 * Creates or updates the streams and their durable consumers. Idempotent; run at start-up by the
 * migrate step, never by workers, which only bind to what exists.
 */
export async function provisionJetStream(nc: NatsConnection, config: Pick<Config, 'sensors'>, log: Logger) {
  const jsm = await jetstreamManager(nc);
  for (const cfg of streamConfigs(config)) {
    const name = cfg.name;
    try {
      await jsm.streams.info(name);
      await jsm.streams.update(name, cfg);
      log.info({ stream: name }, 'stream updated');
    } catch (err) {
      if (!(err instanceof JetStreamApiError) || err.code !== 10059) throw err;
      await jsm.streams.add(cfg);
      log.info({ stream: name }, 'stream created');
    }
  }
  const consumers = sensorConsumers(config);
  for (const consumer of consumers) {
    // add() is idempotent for an identical config and updates the mutable fields otherwise.
    await jsm.consumers.add(SENSORS_STREAM, consumer);
  }
  log.info({ consumers: consumers.map((c) => c.durable_name) }, 'consumers provisioned');
}
