/**
 * Publishes valid events at a steady rate through JetStream, observedAt set at publish time, then prints
 * {"published":N,"seconds":S}. Runs as its own process so publishing does not share the worker's event loop.
 */
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { messageOf, validEvent } from '../support/events';

const [url = 'nats://127.0.0.1:4222', rateArg = '10000', durationArg = '60'] = process.argv.slice(2);
const rate = Number(rateArg);
const durationMs = Number(durationArg) * 1000;
const nc = await connect({ servers: url });
const js = jetstream(nc);
const tickMs = 10;
const perTick = rate * (tickMs / 1000);
const started = Date.now();
let published = 0;
const outstanding = new Set<Promise<unknown>>();
while (Date.now() - started < durationMs) {
  const due = Math.floor(((Date.now() - started) / 1000) * rate);
  for (; published < due && published < due + perTick * 5; published++) {
    const m = messageOf(validEvent(published, Date.now(), 'lag'));
    const ack = js.publish(m.subject, m.data, { msgID: m.msgId });
    outstanding.add(ack);
    void ack.finally(() => outstanding.delete(ack));
    if (outstanding.size > 2000) await Promise.race(outstanding);
  }
  await new Promise((r) => setTimeout(r, tickMs));
}
await Promise.all(outstanding);
const seconds = (Date.now() - started) / 1000;
await nc.drain();
process.stdout.write(JSON.stringify({ published, seconds }));
