import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Config } from './config';
import { dependencyError } from './database';
import type { Logger } from './logger';

export type { NatsConnection };

const ERRORS_PER_MINUTE = 10;

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
    // A server error can come once per message (a permission the user lacks, hit by every publish or ack): at
    // most ERRORS_PER_MINUTE lines a minute, then how many were left out.
    let windowStart = Date.now();
    let logged = 0;
    let left = 0;
    const newWindow = (now: number) => {
      if (left > 0) log.error({ left }, `${left} more NATS errors in the last minute were not logged`);
      windowStart = now;
      logged = 0;
      left = 0;
    };
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        log.warn(
          { server: s.server },
          'NATS connection lost; reconnecting every 0.5 s until it answers (the services pause meanwhile)',
        );
      } else if (s.type === 'reconnect') {
        log.info({ server: s.server }, 'NATS reconnected');
      } else if (s.type === 'error') {
        const now = Date.now();
        if (now - windowStart >= 60_000) newWindow(now);
        if (logged < ERRORS_PER_MINUTE) {
          logged++;
          log.error({ err: s.error.message }, `NATS error: ${s.error.message}`);
        } else if (left++ === 0) {
          // Say how many were left out when the minute ends, even if none follow.
          const started = windowStart;
          setTimeout(() => windowStart === started && newWindow(Date.now()), started + 60_000 - now).unref();
        }
      }
    }
  })();
  return nc;
}
