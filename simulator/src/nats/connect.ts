import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsCredentials {
  user?: string;
  pass?: string;
}

/** A connection for a CLI run: a few reconnect attempts, then give up rather than hang a script. */
export async function connectNats(
  url: string,
  name: string,
  credentials: NatsCredentials = {},
): Promise<NatsConnection> {
  return connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: 10,
    reconnectTimeWait: 500,
    ...credentials,
  });
}
