import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { NatsConnection } from '@nats-io/transport-node';
import { SENSOR_SUBJECTS } from '@wachtpost/contracts';
import { fileError } from '../file-errors';
import { encodeRecordLine } from '../messages/recording';
import { systemClock, type Clock } from './pacer';

export interface RecordOptions {
  nc: NatsConnection;
  out: string;
  subject?: string;
  durationS?: number;
  count?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called once the subscription is live on the server, so a caller can start sending. */
  onReady?: () => void;
}

export interface RecordSummary {
  command: 'record';
  file: string;
  subject: string;
  recorded: number;
  elapsedS: number;
}

/**
 * Records what is published on `subject` through a core subscription (it sees plain and JetStream publishes
 * alike, without touching any stream or consumer) as NDJSON, until the count, the duration or the signal.
 */
export async function runRecord(options: RecordOptions): Promise<RecordSummary> {
  const clock = options.clock ?? systemClock;
  const subject = options.subject ?? SENSOR_SUBJECTS;
  const out = createWriteStream(options.out, { encoding: 'utf8' });
  await once(out, 'open').catch((err: unknown) => {
    throw fileError('write', 'recording', options.out, err);
  });
  const sub = options.nc.subscribe(subject, options.count === undefined ? {} : { max: options.count });
  await options.nc.flush();
  const start = clock.now();
  options.onReady?.();

  const stop = () => sub.unsubscribe();
  const timer = options.durationS === undefined ? undefined : setTimeout(stop, options.durationS * 1000);
  options.signal?.addEventListener('abort', stop, { once: true });
  let recorded = 0;
  try {
    for await (const msg of sub) {
      const msgId = msg.headers?.get('Nats-Msg-Id');
      const line = encodeRecordLine({
        subject: msg.subject,
        receivedAt: clock.now(),
        data: msg.data,
        ...(msgId && { msgId }),
      });
      if (!out.write(`${line}\n`)) await once(out, 'drain');
      recorded++;
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
    out.end();
    await once(out, 'finish');
  }
  return { command: 'record', file: options.out, subject, recorded, elapsedS: (clock.now() - start) / 1000 };
}
