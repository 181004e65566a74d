/**
 * Publishes valid events at a steady rate through JetStream, observedAt set at publish time, then prints
 * {"published":N,"seconds":S}. Prints `ready` on a line of its own first, once it is about to publish. Runs as its own process so publishing does not share the worker's event loop.
 *
 *   steady-publisher.ts URL RATE DURATION_S [mixed|sim]
 *
 * `mixed` builds the ingest tests' event mix on the fly; `sim` generates and encodes the simulator's realistic
 * load up front (generating it costs more CPU per event than publishing) and re-times it to the moment it is sent.
 */
import { connect, createInbox, headers } from '@nats-io/transport-node';
import type { SensorEvent } from '@wachtpost/contracts';
import { DEMO_SITE_FILE, loadSiteFile, loadTraffic, shiftEvent } from '@wachtpost/simulator';
import { messageOf, validEvent, type OutgoingMessage } from '../support/events';

const [url = 'nats://127.0.0.1:4222', rateArg = '10000', durationArg = '60', mix = 'mixed'] =
  process.argv.slice(2);
const rate = Number(rateArg);
const durationMs = Number(durationArg) * 1000;

/** The i-th message to send, observed now. */
function messageSource(): (i: number, now: number) => OutgoingMessage | undefined {
  if (mix === 'mixed') return (i, now) => messageOf(validEvent(i, now, 'lag'));
  const events: SensorEvent[] = [
    ...loadTraffic([loadSiteFile(DEMO_SITE_FILE)], {
      seed: 1,
      rate,
      start: Date.now(),
      count: Math.ceil((rate * durationMs) / 1000) + rate,
    }),
  ];
  // Encoded up front too: at send time only observedAt is written into the bytes (same length, ASCII), which
  // is what shiftEvent would do to every event but a search or roster move (those carry more instants).
  const encoded = events.map((event) => {
    const m = messageOf(event);
    const at = event.kind === 'search' || event.kind === 'roster' ? -1 : indexOfObservedAt(m.data);
    return { m, at };
  });
  return (i, now) => {
    const e = encoded[i];
    if (!e) return undefined;
    if (e.at < 0) return messageOf(shiftEvent(events[i]!, now - Date.parse(events[i]!.observedAt)));
    Buffer.from(e.m.data.buffer, e.m.data.byteOffset).write(new Date(now).toISOString(), e.at, 'latin1');
    return e.m;
  };
}

const OBSERVED_AT = Buffer.from('"observedAt":"');
function indexOfObservedAt(data: Uint8Array): number {
  const at = Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(OBSERVED_AT);
  if (at < 0) throw new Error('an encoded event without observedAt');
  return at + OBSERVED_AT.length;
}

const next = messageSource();
const nc = await connect({ servers: url });

/**
 * Acknowledged publishing without a request per message: every message names one reply subject, and the
 * stream's acknowledgements are only counted there. nats.js's js.publish makes a promise, a timer and two
 * Error objects per message, which at 10,000 a second took half of this process's CPU, and this process
 * shares the machine with the system it loads.
 */
const replyTo = createInbox();
let acked = 0;
const failures: string[] = [];
const decoder = new TextDecoder();
nc.subscribe(replyTo, {
  callback: (_err, msg) => {
    const reply = decoder.decode(msg.data);
    if (reply.includes('"error"')) failures.push(reply);
    else acked++;
  },
});
const settled = () => acked + failures.length;

process.stdout.write('ready\n');
const tickMs = 10;
const perTick = rate * (tickMs / 1000);
const started = Date.now();
let published = 0;
while (Date.now() - started < durationMs) {
  const due = Math.floor(((Date.now() - started) / 1000) * rate);
  for (; published < due && published < due + perTick * 5; published++) {
    const m = next(published, Date.now());
    if (!m) break;
    const h = headers();
    if (m.msgId) h.set('Nats-Msg-Id', m.msgId);
    nc.publish(m.subject, m.data, { reply: replyTo, headers: h });
  }
  // At most two thousand unacknowledged, as the stream's pace allows.
  while (published - settled() > 2000) await nc.flush();
  await new Promise((r) => setTimeout(r, tickMs));
}
for (let waited = 0; settled() < published && waited < 30_000; waited += 10) await nc.flush();
const seconds = (Date.now() - started) / 1000;
await nc.drain();
if (failures.length > 0 || settled() < published) {
  process.stderr.write(
    `${published - acked} of ${published} not stored: ${failures.slice(0, 3).join('; ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(JSON.stringify({ published, seconds }));
