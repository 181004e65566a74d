import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
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

// JetStream API error codes: consumer not found, stream not found.
const CONSUMER_NOT_FOUND = 10014;
const STREAM_NOT_FOUND = 10059;

/** Whether a JetStream API call failed because its consumer or stream does not exist. */
export function isJetStreamNotFound(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError && (err.code === CONSUMER_NOT_FOUND || err.code === STREAM_NOT_FOUND)
  );
}

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

const durable = (
  name: string,
  description: string,
  ackWaitMs: number,
  ackPolicy: AckPolicy,
): Partial<ConsumerConfig> => ({
  durable_name: name,
  description,
  ack_policy: ackPolicy,
  deliver_policy: DeliverPolicy.All,
  ack_wait: nanos(ackWaitMs),
  max_ack_pending: 50_000,
  max_deliver: -1,
});

/**
 * Durable consumers on SENSORS; workers send `working()` while they retry, so ack wait bounds crash recovery
 * only. Ingest workers share their consumer, so each acknowledges its own messages. The detectors' single
 * worker takes messages strictly in order, so one acknowledgement per commit covers every message before it
 * (AckAll): a third of the NATS server's work per message, measured against one ack each.
 */
export function sensorConsumers(config: Pick<Config, 'sensors'>): Partial<ConsumerConfig>[] {
  const { ackWaitMs } = config.sensors;
  return [
    durable(
      INGEST_CONSUMER,
      'ingest workers: validate and store every sensor event',
      ackWaitMs,
      AckPolicy.Explicit,
    ),
    durable(DETECTORS_CONSUMER, 'detectors: correlate sensor events into alerts', ackWaitMs, AckPolicy.All),
  ];
}

/**
 * Creates a consumer, updates the mutable fields of an existing one, or recreates one whose ack policy (which
 * the server cannot change) differs: from the message after its ack floor, so nothing it had not acknowledged
 * is skipped (messages acknowledged above the floor come again, and are handled as redeliveries).
 */
async function provisionConsumer(jsm: JetStreamManager, wanted: Partial<ConsumerConfig>, log: Logger) {
  const name = wanted.durable_name!;
  const existing = await jsm.consumers.info(SENSORS_STREAM, name).catch((err: unknown) => {
    if (err instanceof JetStreamApiError && err.code === CONSUMER_NOT_FOUND) return undefined;
    throw err;
  });
  if (!existing) {
    await jsm.consumers.add(SENSORS_STREAM, wanted);
    return;
  }
  if (existing.config.ack_policy === wanted.ack_policy) {
    // update() keeps the immutable fields (the delivery start of a recreated consumer among them).
    const { description, ack_wait, max_ack_pending, max_deliver } = wanted;
    await jsm.consumers.update(SENSORS_STREAM, name, { description, ack_wait, max_ack_pending, max_deliver });
    return;
  }
  const from = existing.ack_floor.stream_seq + 1;
  await jsm.consumers.delete(SENSORS_STREAM, name);
  await jsm.consumers.add(SENSORS_STREAM, {
    ...wanted,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: from,
  });
  log.warn(
    { consumer: name, from, ackPolicy: wanted.ack_policy, was: existing.config.ack_policy },
    'consumer recreated with a new ack policy, from the message after its ack floor',
  );
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
      if (!(err instanceof JetStreamApiError) || err.code !== STREAM_NOT_FOUND) throw err;
      await jsm.streams.add(cfg);
      log.info({ stream: name }, 'stream created');
    }
  }
  const consumers = sensorConsumers(config);
  for (const consumer of consumers) await provisionConsumer(jsm, consumer, log);
  log.info({ consumers: consumers.map((c) => c.durable_name) }, 'consumers provisioned');
}

/** The streams and durable consumers that are not on the server. */
async function missingFromServer(nc: NatsConnection, config: Pick<Config, 'sensors'>): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  const lookUps = [
    ...streamConfigs(config).map((s) => [s.name, () => jsm.streams.info(s.name)] as const),
    ...sensorConsumers(config).map(
      (c) =>
        [
          `${SENSORS_STREAM}/${c.durable_name}`,
          () => jsm.consumers.info(SENSORS_STREAM, c.durable_name!),
        ] as const,
    ),
  ];
  const missing: string[] = [];
  for (const [name, lookUp] of lookUps) {
    await lookUp().catch((err: unknown) => {
      if (!isJetStreamNotFound(err)) throw err;
      missing.push(name);
    });
  }
  return missing;
}

/**
 * For `pnpm start`, which provisions for itself: looks every few seconds for the streams and durable consumers
 * and provisions them again when one went missing (deleted by hand, or a NATS server that came back without its
 * store), so its workers resume by themselves. A deployment leaves this to its migrate step: the services there
 * have no right to create anything.
 */
export function keepJetStreamProvisioned(
  nc: NatsConnection,
  config: Pick<Config, 'sensors'>,
  log: Logger,
  everyMs = 5000,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = async () => {
    try {
      const missing = await missingFromServer(nc, config);
      if (missing.length && !stopped) {
        log.warn({ missing }, 'JetStream streams or consumers went missing; provisioning them again');
        await provisionJetStream(nc, config, log);
      }
    } catch (err) {
      // NATS away: the connection reconnects by itself and the next look tries again.
      log.debug({ err }, 'looking for the JetStream streams and consumers failed');
    }
    if (!stopped) timer = setTimeout(() => void check(), everyMs).unref();
  };
  timer = setTimeout(() => void check(), everyMs).unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
