/**
 * Publishes valid events at a steady rate through JetStream, observedAt set at publish time, then prints
 * {"published":N,"seconds":S}. Prints `ready` on a line of its own first, once it is about to publish. Runs as its own process so publishing does not share the worker's event loop.
 *
 *   steady-publisher.ts URL RATE DURATION_S [mixed|sim]
 *
 * `mixed` builds the ingest tests' event mix on the fly; `sim` generates the simulator's realistic load up
 * front (generating it costs more CPU per event than publishing) and re-times it to the moment it is sent.
 */
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { SensorEvent, SensorEventInput } from '@wachtpost/contracts';
import { DEMO_SITE_FILE, loadSiteFile, loadTraffic, shiftEvent } from '@wachtpost/simulator';
import { messageOf, validEvent } from '../support/events';

const [url = 'nats://127.0.0.1:4222', rateArg = '10000', durationArg = '60', mix = 'mixed'] =
  process.argv.slice(2);
const rate = Number(rateArg);
const durationMs = Number(durationArg) * 1000;

/** The i-th event to send, observed now. */
function eventSource(): (i: number, now: number) => SensorEventInput | undefined {
  if (mix === 'mixed') return (i, now) => validEvent(i, now, 'lag');
  const planned = Date.now();
  const events: SensorEvent[] = [
    ...loadTraffic([loadSiteFile(DEMO_SITE_FILE)], {
      seed: 1,
      rate,
      start: planned,
      count: Math.ceil((rate * durationMs) / 1000) + rate,
    }),
  ];
  return (i, now) => {
    const event = events[i];
    return event && shiftEvent(event, now - Date.parse(event.observedAt));
  };
}

// nats.js builds a RequestError and a TimeoutError, stack traces and all, for every acknowledged publish in case
// it fails; without stack traces that halves this process's CPU, which the system under test needs more.
Error.stackTraceLimit = 0;
const next = eventSource();
const nc = await connect({ servers: url });
const js = jetstream(nc);
process.stdout.write('ready\n');
const tickMs = 10;
const perTick = rate * (tickMs / 1000);
const started = Date.now();
let published = 0;
const outstanding = new Set<Promise<unknown>>();
while (Date.now() - started < durationMs) {
  const due = Math.floor(((Date.now() - started) / 1000) * rate);
  for (; published < due && published < due + perTick * 5; published++) {
    const event = next(published, Date.now());
    if (!event) break;
    const m = messageOf(event);
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
