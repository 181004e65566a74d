import { jetstreamManager } from '@nats-io/jetstream';
import { Alert, ALERTS_STREAM } from '@wachtpost/contracts';
import { provisionJetStream } from '@wachtpost/platform';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectLive,
  makeAlert,
  startConsoleHarness,
  type ConsoleHarness,
  type LiveClient,
  type RunningConsole,
} from '../support/console';
import { quietLog, waitFor } from '../support/harness';

let h: ConsoleHarness;
let server: RunningConsole;
let olga: string;
const clients: LiveClient[] = [];

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole();
  await h.addUser('olga', 'operator');
  await h.addUser('tess', 'tester');
  olga = await h.login(server.base, 'olga');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await h?.close();
});

const live = async (...args: Parameters<typeof connectLive>) => {
  const client = await connectLive(...args);
  clients.push(client);
  return client;
};

/** Seeds n changes of alerts at a site/wing and returns their stream sequences. */
async function seed(n: number, overrides: { siteId?: string; wingId?: string } = {}): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) seqs.push(await h.seedAlert(makeAlert(overrides)));
  return seqs;
}

const seqsOf = (client: LiveClient) => client.pushes.map((p) => p.seq);

describe('live push', () => {
  it('pushes every change to an authorised socket: the contract Alert, its seq, console fields beside it', async () => {
    const client = await live(server.base, olga);
    const alert = makeAlert();
    const seq = await h.seedAlert(alert);
    await client.waitForSeq(seq);
    const push = client.pushes.find((p) => p.seq === seq)!;
    expect(push.alert).toEqual(alert);
    expect(push.console).toEqual({ silenced: false });
    // CONTRACT.md section 3: the client receives `alert` with the alert state itself, not wrapped.
    const payload = client.payloads.find((p) => p.seq === seq)!;
    expect(Alert.parse(payload)).toEqual(alert);
    expect(payload).toMatchObject({ alertId: alert.alertId, rev: 1, status: 'open', seq });
    // An operator action reaches the socket as the next revision, with who did it.
    const res = await h.api(server.base, olga, 'POST', `/api/alerts/${alert.alertId}/assign`, {});
    expect(res.status).toBe(200);
    await waitFor(
      async () => client.pushes.find((p) => p.alert.alertId === alert.alertId && p.alert.rev === 2),
      5000,
      'rev 2',
    );
    const rev2 = client.pushes.find((p) => p.alert.rev === 2 && p.alert.alertId === alert.alertId)!;
    expect(rev2.console.assignee).toBe('olga');
    expect(rev2.action).toEqual({ action: 'assign', actor: 'olga' });
    client.close();
  });

  it('refuses sockets without a session or with a role that may not watch alerts', async () => {
    await expect(connectLive(server.base, undefined)).rejects.toThrow(/not signed in/);
    await expect(connectLive(server.base, 'wachtpost_session=forged')).rejects.toThrow(/not signed in/);
    const tess = await h.login(server.base, 'tess');
    await expect(connectLive(server.base, tess)).rejects.toThrow(/may not watch alerts/);
  });

  it('sends a site room only its site and a wing room only its wing', async () => {
    const all = await live(server.base, olga);
    const north = await live(server.base, olga, { siteId: 'north' });
    const northB = await live(server.base, olga, { siteId: 'north', wingId: 'b' });
    const a = await seed(2, { siteId: 'north', wingId: 'a' });
    const b = await seed(2, { siteId: 'north', wingId: 'b' });
    const other = await seed(2, { siteId: 'south', wingId: 'b' });
    const last = Math.max(...a, ...b, ...other);
    await all.waitForSeq(last);
    await north.waitForSeq(Math.max(...a, ...b));
    await northB.waitForSeq(Math.max(...b));
    // Let anything misrouted arrive before checking it did not.
    await new Promise((r) => setTimeout(r, 200));
    expect(seqsOf(all)).toEqual([...a, ...b, ...other]);
    expect(seqsOf(north)).toEqual([...a, ...b]);
    expect(seqsOf(northB)).toEqual(b);
    for (const c of [all, north, northB]) c.close();
  });

  it('ends the sockets of a session at logout', async () => {
    const cookie = await h.login(server.base, 'olga');
    const client = await live(server.base, cookie);
    const closed = new Promise<string>((resolve) =>
      client.socket.once('disconnect', (reason) => resolve(reason)),
    );
    await h.api(server.base, cookie, 'DELETE', '/api/session');
    expect(await closed).toBe('io server disconnect');
  });

  it('resumes after a disconnect: every change since, none missed or repeated, then live ones', async () => {
    const client = await live(server.base, olga);
    const before = await seed(3);
    await client.waitForSeq(before[2]!);
    const lastSeen = client.lastSeq();
    client.close();
    const missed = await seed(5);
    // Reconnect with the last change seen, in the handshake.
    const again = await live(server.base, olga, { afterSeq: lastSeen });
    expect(seqsOf(again)).toEqual(missed);
    const after = await seed(2);
    await again.waitForSeq(after[1]!);
    expect(seqsOf(again)).toEqual([...missed, ...after]);
    // The resume event does the same on a connected socket, answering with what it sent.
    const answer = await again.socket.emitWithAck('resume', { afterSeq: missed[1] });
    expect(answer).toMatchObject({ ok: true, replayed: 5 });
    expect(seqsOf(again)).toEqual([...missed, ...after, ...missed.slice(2), ...after]);
    const bad = await again.socket.emitWithAck('resume', { afterSeq: -1 });
    expect(bad).toMatchObject({ ok: false });
    again.close();
  });

  it('does not lose or repeat a change published while a resume replays', async () => {
    const start = (await seed(1))[0]!;
    await seed(50);
    const client = await live(server.base, olga, { afterSeq: start });
    const concurrent = seed(30);
    const resumed = client.socket.emitWithAck('resume', { afterSeq: start });
    const published = await concurrent;
    await resumed;
    await client.waitForSeq(published[29]!);
    await new Promise((r) => setTimeout(r, 200));
    const seqs = seqsOf(client);
    // The handshake replay, then the resume replay from the same point: each a gapless run without repeats.
    const second = seqs.lastIndexOf(start + 1);
    for (const run of [seqs.slice(0, second), seqs.slice(second)]) {
      expect(run).toEqual(Array.from({ length: run.length }, (_, i) => start + 1 + i));
    }
    expect(seqs[seqs.length - 1]).toBe(published[29]);
    client.close();
  });

  it('resumes across a console server restart, from the stream', async () => {
    const client = await live(server.base, olga);
    const before = await seed(2);
    await client.waitForSeq(before[1]!);
    const lastSeen = client.lastSeq();
    client.close();
    await server.stop();
    // Changes while no console server runs (the detectors keep publishing).
    const whileDown = await seed(4);
    server = await h.startConsole();
    const afterRestart = await seed(1);
    const again = await live(server.base, olga, { afterSeq: lastSeen });
    await again.waitForSeq(afterRestart[0]!);
    const later = await seed(2);
    await again.waitForSeq(later[1]!);
    expect(seqsOf(again)).toEqual([...whileDown, ...afterRestart, ...later]);
    again.close();
  });

  it('drops a slow socket from the live feed and asks it to resync, without holding up the others', async () => {
    const slowServer = await h.startConsole({ maxPendingPackets: 5 });
    const fast = await live(slowServer.base, olga);
    const slow = await live(slowServer.base, olga);
    // Stop reading on the slow client's TCP socket: its server-side buffer fills up.
    const engine = slow.socket.io.engine as unknown as {
      transport: { ws: { _socket: { pause(): void; resume(): void } } };
    };
    engine.transport.ws._socket.pause();
    const big = 'x'.repeat(150_000);
    const seqs: number[] = [];
    for (let i = 0; i < 80; i++) seqs.push(await h.seedAlert(makeAlert({ summary: big })));
    await fast.waitForSeq(seqs[79]!, 10_000);
    expect(seqsOf(fast)).toEqual(seqs);
    engine.transport.ws._socket.resume();
    await waitFor(async () => slow.events.some((e) => e.name === 'resync'), 10_000, 'resync');
    const resync = slow.events.find((e) => e.name === 'resync')!.payload as {
      afterSeq: number;
      reason: string;
    };
    expect(resync.reason).toBe('slow-client');
    // What it got is a gapless prefix; resuming from its last change brings the rest, none repeated.
    const got = seqsOf(slow);
    expect(got).toEqual(seqs.slice(0, got.length));
    expect(resync.afterSeq).toBe(got.length ? got[got.length - 1] : seqs[0]! - 1);
    await slow.socket.emitWithAck('resume', { afterSeq: slow.lastSeq() });
    expect(seqsOf(slow)).toEqual(seqs);
    await slowServer.stop();
  });

  it('keeps pushing after a NATS restart', async () => {
    const client = await live(server.base, olga);
    const [before] = await seed(1);
    await client.waitForSeq(before!);
    await h.nats.restart(500);
    // The harness's own connection is back once a publish is acknowledged.
    const seq = await waitFor(() => h.seedAlert(makeAlert()), 15_000, 'JetStream back after the restart');
    await client.waitForSeq(seq, 15_000);
    expect(seqsOf(client).filter((s) => s > before!)).toEqual([seq]);
  }, 60_000);

  it('reopens a feed that stalled (its consumer deleted under it) within seconds', async () => {
    const client = await live(server.base, olga);
    const [before] = await seed(1);
    await client.waitForSeq(before!);
    const jsm = await jetstreamManager(h.nc);
    for await (const c of jsm.consumers.list(ALERTS_STREAM))
      await jsm.consumers.delete(ALERTS_STREAM, c.name);
    const later = await seed(2);
    // nats.js alone would ask again only after two missed heartbeats (30 s and more).
    await client.waitForSeq(later[1]!, 15_000);
    expect(seqsOf(client).filter((s) => s > before!)).toEqual(later);
  }, 60_000);

  // Last in this file: it replaces the stream the other tests read.
  it('follows ALERTS when it is recreated: not ready while it is gone, then live clients reload and go on', async () => {
    const client = await live(server.base, olga);
    const [before] = await seed(1);
    await client.waitForSeq(before!);
    const readiness = async () => {
      const res = await fetch(`${server.base}/readyz`);
      return {
        status: res.status,
        checks: ((await res.json()) as { checks: Record<string, string> }).checks,
      };
    };

    // A NATS server back without its store: the stream is gone, then the migrate step creates it afresh.
    await (await jetstreamManager(h.nc)).streams.delete(ALERTS_STREAM);
    const down = await waitFor(
      async () => {
        const r = await readiness();
        return r.status === 503 && r;
      },
      15_000,
      'readiness to report the missing stream',
    );
    expect(down.checks.console).toMatch(/live alert feed: the ALERTS stream is gone/);
    await provisionJetStream(h.nc, h.config, quietLog);

    await waitFor(async () => client.events.some((e) => e.name === 'resync'), 15_000, 'resync');
    expect(client.events.find((e) => e.name === 'resync')!.payload).toEqual({
      afterSeq: 0,
      reason: 'too-old',
    });
    expect((await readiness()).status).toBe(200);
    // The new stream numbers from 1 again, and its changes reach the client live.
    const alert = makeAlert();
    expect(await h.seedAlert(alert)).toBe(1);
    await waitFor(
      async () => client.pushes.some((p) => p.alert.alertId === alert.alertId),
      5000,
      'the new alert',
    );

    // A client from before the stream was recreated is told to reload rather than wait for its old sequences.
    const stale = await connectLiveWithResync(server.base, olga, before! + 10);
    expect(stale).toEqual({ afterSeq: 1, reason: 'too-old' });
  }, 60_000);
});

/** Connects resuming after `afterSeq` and returns the resync the server answers with. */
async function connectLiveWithResync(base: string, cookie: string, afterSeq: number) {
  const socket = io(base, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie },
    auth: { afterSeq },
  });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('resync', resolve);
      socket.once('connect_error', reject);
    });
  } finally {
    socket.close();
  }
}
