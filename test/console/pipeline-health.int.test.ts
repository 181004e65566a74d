import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { ALERTS_STREAM, DETECTORS_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLive, startConsoleHarness, type ConsoleHarness, type LiveClient } from '../support/console';
import { messageOf, validEvent } from '../support/events';
import { waitFor } from '../support/harness';

interface Health {
  problems: { code: string; message: string }[];
}

let h: ConsoleHarness;
let client: LiveClient;
let base: string;

beforeAll(async () => {
  h = await startConsoleHarness();
  const server = await h.startConsole({
    health: { checkEveryMs: 200, stalledAfterMs: 1000, behindAtWaiting: 5 },
  });
  base = server.base;
  await h.addUser('olga', 'operator');
  client = await connectLive(server.base, await h.login(server.base, 'olga'));
});
afterAll(async () => {
  client?.close();
  await h?.close();
});

/** The last `health` the socket was sent. */
const lastHealth = () =>
  client.events
    .filter((e) => e.name === 'health')
    .map((e) => e.payload as Health)
    .at(-1);
const healthWhere = (what: string, test: (h: Health) => boolean) =>
  waitFor(
    async () => {
      const health = lastHealth();
      return health && test(health) && health;
    },
    10_000,
    what,
  );

async function publishSensorEvents(n: number, from: number) {
  for (let i = from; i < from + n; i++) {
    const m = messageOf(validEvent(i, Date.now() - 1000, 'health'));
    await h.js.publish(m.subject, m.data, { msgID: m.msgId });
  }
}

/** Does what the detectors do with their consumer: take messages and acknowledge them (AckAll). */
async function processAsDetectors(n: number) {
  const consumer = await jetstream(h.nc).consumers.get(SENSORS_STREAM, DETECTORS_CONSUMER);
  const messages = await consumer.fetch({ max_messages: n, expires: 2000 });
  for await (const m of messages) m.ack();
  await h.nc.flush();
}

describe('pipeline health on the live socket', () => {
  it('is sent on connecting: nothing wrong, and every metric series is there at 0', async () => {
    expect(lastHealth()).toEqual({ problems: [] });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const code of ['feed', 'detection-stopped', 'detection-behind'])
      expect(metrics).toContain(`wachtpost_console_pipeline_problem{code="${code}"} 0`);
  });

  it('says detection stopped when sensor events wait and none is processed, and clears when it runs', async () => {
    await publishSensorEvents(3, 0);
    const stopped = await healthWhere('detection stopped', (x) => x.problems.length > 0);
    expect(stopped.problems).toEqual([
      {
        code: 'detection-stopped',
        message: expect.stringMatching(
          /^Detection has processed nothing for \d+ s while 3 sensor events wait\./,
        ),
      },
    ]);
    // For the on-call engineer's alerting too.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('wachtpost_console_pipeline_problem{code="detection-stopped"} 1');
    expect(metrics).toContain('wachtpost_console_pipeline_problem{code="detection-behind"} 0');
    await processAsDetectors(3);
    await healthWhere('healthy again', (x) => x.problems.length === 0);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain(
      'wachtpost_console_pipeline_problem{code="detection-stopped"} 0',
    );
  });

  it('says detection is behind while many events wait, though it moves', async () => {
    await publishSensorEvents(10, 100);
    await processAsDetectors(2);
    const behind = await healthWhere('behind', (x) => x.problems[0]?.code === 'detection-behind');
    expect(behind.problems[0]!.message).toBe('Detection is catching up: 8 sensor events are waiting.');
    await processAsDetectors(8);
    await healthWhere('healthy again', (x) => x.problems.length === 0);
  });

  it('says this console cannot reach NATS while it is down, and clears when it is back', async () => {
    const restarted = h.nats.restart(6000);
    const down = await healthWhere('NATS unreachable', (x) => x.problems.length > 0);
    expect(down.problems).toEqual([
      {
        code: 'feed',
        message: expect.stringMatching(/^This console cannot reach NATS \(.*\): alerts are not arriving\.$/),
      },
    ]);
    await restarted;
    await healthWhere('healthy again', (x) => x.problems.length === 0);
  }, 30_000);

  it('says detection is not running when its consumer is gone, and this console not receiving alerts without ALERTS', async () => {
    const jsm = await jetstreamManager(h.nc);
    await jsm.consumers.delete(SENSORS_STREAM, DETECTORS_CONSUMER);
    const missing = await healthWhere('consumer missing', (x) => x.problems.length > 0);
    expect(missing.problems[0]!.message).toMatch(
      /^Detection is not running: its JetStream consumer is missing/,
    );
    await jsm.streams.delete(ALERTS_STREAM);
    const noFeed = await healthWhere('feed problem', (x) => x.problems.some((p) => p.code === 'feed'));
    expect(noFeed.problems.find((p) => p.code === 'feed')!.message).toMatch(
      /^This console is not receiving alerts: the ALERTS stream is gone/,
    );
  }, 30_000);
});
