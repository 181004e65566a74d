import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Config } from './config';
import { dependencyError } from './database';
import type { Logger } from './logger';

export type { NatsConnection };

/** Connects with unlimited reconnects: a NATS restart must never end a service, only pause it. */
export async function connectNats(
  config: Pick<Config, 'nats'>,
  log: Logger,
  name: string,
): Promise<NatsConnection> {
  const url = config.nats.url ?? 'nats://127.0.0.1:4222';
  const nc = await connect({
    servers: url.split(','),
    name,
    user: config.nats.user,
    pass: config.nats.password,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: false,
  }).catch((err: unknown) => {
    throw dependencyError('NATS', url, 'NATS_URL', err);
  });
  log.info({ server: nc.getServer() }, 'connected to NATS');
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
        log.warn({ status: s.type, server: 'server' in s ? s.server : undefined }, `NATS ${s.type}`);
      }
    }
  })();
  return nc;
}
