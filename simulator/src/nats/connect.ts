import { connect, type NatsConnection } from '@nats-io/transport-node';

/** A connection for a CLI run: a few reconnect attempts, then give up rather than hang a script. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url.split(','), name, maxReconnectAttempts: 10, reconnectTimeWait: 500 });
}
