import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import { DeliverPolicy, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ALERTS_STREAM } from '@wachtpost/contracts';
import type { Logger } from '@wachtpost/platform';
import type { Pool } from 'pg';
import { Server, type Socket } from 'socket.io';
import { consoleFields } from '../alerts/alert-queries';
import type { SilenceCache } from '../alerts/silences';
import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import { may } from '../auth/roles';
import { findSession, type SessionUser } from '../auth/sessions';
import { fromOtherOrigin } from '../http/same-origin';
import type { ConsoleMetrics } from '../metrics';
import { decodeEntry, type FeedEntry } from './alert-feed';
import type { HealthProblem } from './pipeline-health';
import {
  ResumeRequest,
  Subscription,
  type AlertPush,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from './socket-protocol';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

interface SocketData {
  user: SessionUser;
  siteId?: string;
  wingId?: string;
  /** live: gets changes as they come; replay: a resume is reading the stream; stalled: dropped, must resume. */
  mode: 'live' | 'replay' | 'stalled';
  /** The last sequence this socket was sent or deliberately skipped: nothing at or below it is sent again. */
  lastSeq: number;
  /** Bumped by every resume, so an older replay still running stops. */
  replayNo: number;
  /** The replay reading the stream now: the next one waits for it, so a socket holds one consumer at a time. */
  replaying?: Promise<unknown>;
}

export interface SocketHubOptions {
  httpServer: HttpServer;
  pool: Pool;
  nc: NatsConnection;
  js: JetStreamClient;
  silences: SilenceCache;
  log: Logger;
  metrics: ConsoleMetrics;
  /** Packets waiting in one socket's buffer beyond which it is dropped and told to resync. */
  maxPendingPackets?: number;
  /** How often open sockets' sessions are checked again (10 s by default). */
  sessionCheckMs?: number;
}

type ResumeResult = { ok: true; seq: number; replayed: number } | { ok: false; error: string };

const siteRoom = (siteId: string) => `site:${siteId}`;
const wingRoom = (siteId: string, wingId: string) => `wing:${siteId}:${wingId}`;
const ALL = 'all';

/**
 * socket.io on the console's HTTP server. Sockets authenticate with the session cookie of the handshake and
 * join a room for what they watch (everything, a site, or a wing). Each change read from ALERTS goes to the
 * sockets of its rooms, each at its own pace: a socket whose buffer passes the bound is dropped from the live
 * feed and told to resume, so one slow browser never holds up the others or grows the server's memory.
 */
export class SocketHub {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  private readonly assignees = new Map<string, string>();
  private headSeq = () => 0;
  private readonly maxPending: number;
  private jsm: ReturnType<typeof jetstreamManager> | undefined;
  private health: HealthProblem[] = [];
  private sessionCheck: NodeJS.Timeout | undefined;

  constructor(private readonly options: SocketHubOptions) {
    this.maxPending = options.maxPendingPackets ?? 2000;
    // Same origin only: cookies are SameSite=Strict, so another site cannot open a socket as the user, and
    // pages of other origins of the same site (another port, a sibling host) are refused here.
    this.io = new Server(options.httpServer, {
      serveClient: false,
      maxHttpBufferSize: 16 * 1024,
      allowRequest: (req, callback) => {
        const refused = fromOtherOrigin(req);
        callback(refused ? 'cross-origin request refused' : null, !refused);
      },
    });
    this.io.use((socket, next) => {
      void this.authenticate(socket as LiveSocket).then(
        (error) => next(error),
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    });
    this.io.on('connection', (socket) => this.connected(socket));
  }

  /** Links the hub to the feed's head and loads the assignees it sends beside alerts. */
  async start(headSeq: () => number): Promise<void> {
    this.headSeq = headSeq;
    const { rows } = await this.options.pool.query<{ alert_id: string; assignee: string }>(
      'SELECT alert_id, assignee FROM alert_assignments',
    );
    for (const r of rows) this.assignees.set(r.alert_id, r.assignee);
    // A logout, a password or role change, a disable or a delete ends the sockets on this server at once
    // (disconnect), but the request may have reached another console server: this check ends them here too.
    this.sessionCheck = setInterval(() => {
      this.checkSessions().catch((err: unknown) =>
        this.options.log.warn({ err }, 'could not check the sessions of open sockets'),
      );
    }, this.options.sessionCheckMs ?? 10_000);
    this.sessionCheck.unref();
  }

  /** Ends every socket whose session has ended (or whose user was disabled or changed role) since it connected. */
  private async checkSessions(): Promise<void> {
    const sockets = [...(this.io.sockets.sockets.values() as Iterable<LiveSocket>)].filter(
      (s) => s.data.user,
    );
    if (sockets.length === 0) return;
    const ids = [...new Set(sockets.map((s) => s.data.user.sessionId))];
    const { rows } = await this.options.pool.query<{ id: string; role: string }>(
      `SELECT encode(s.token_hash, 'hex') AS id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ANY (SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)
         AND s.expires_at > now() AND NOT u.disabled`,
      [ids],
    );
    const live = new Map(rows.map((r) => [r.id, r.role]));
    for (const socket of sockets) {
      if (live.get(socket.data.user.sessionId) !== socket.data.user.role) socket.disconnect(true);
    }
  }

  close(): void {
    clearInterval(this.sessionCheck);
    this.io.disconnectSockets(true);
    // Not io.close(): that would close the platform's HTTP server, which the runtime closes itself.
    this.io.engine.close();
  }

  disconnect(room: string): void {
    this.io.in(room).disconnectSockets(true);
  }

  /**
   * ALERTS was recreated, so its sequences start again: every socket is told to reload its alerts from the API
   * (`resync` too-old) and follows the new stream from `headSeq`; replays of the old stream stop.
   */
  restartSequences(headSeq: number): void {
    for (const socket of this.io.sockets.sockets.values() as Iterable<LiveSocket>) {
      socket.data.replayNo++;
      socket.data.mode = 'live';
      socket.data.lastSeq = headSeq;
      socket.emit('resync', { afterSeq: headSeq, reason: 'too-old' });
    }
  }

  /** The pipeline's health changed: every socket is told, as each new one is on connecting. */
  setHealth(problems: HealthProblem[]): void {
    this.health = problems;
    this.io.emit('health', { problems });
  }

  /** A change from the live feed: to every live socket of its rooms that has not had it. */
  deliver(entry: FeedEntry): void {
    if (entry.assignee) this.assignees.set(entry.alert.alertId, entry.assignee);
    const { siteId, wingId } = entry.alert;
    const rooms = [ALL, siteRoom(siteId), wingRoom(siteId, wingId ?? 'site')];
    const push = this.push(entry);
    for (const room of rooms) {
      for (const id of this.io.sockets.adapter.rooms.get(room) ?? []) {
        const socket = this.io.sockets.sockets.get(id) as LiveSocket | undefined;
        if (!socket || socket.data.mode !== 'live' || entry.seq <= socket.data.lastSeq) continue;
        if (this.pending(socket) > this.maxPending) {
          this.stall(socket);
          continue;
        }
        socket.data.lastSeq = entry.seq;
        socket.emit('alert', push);
        this.options.metrics.pushes.inc();
      }
    }
  }

  private push(entry: FeedEntry): AlertPush {
    const assignee = entry.assignee ?? this.assignees.get(entry.alert.alertId);
    return {
      ...entry.alert,
      seq: entry.seq,
      console: consoleFields(entry.alert, assignee, this.options.silences.isSilenced),
      ...(entry.action && { action: entry.action }),
    };
  }

  private async authenticate(socket: LiveSocket): Promise<Error | undefined> {
    const user = await findSession(
      this.options.pool,
      readCookie(socket.request.headers.cookie, SESSION_COOKIE),
    );
    if (!user) return new Error('not signed in');
    if (!may(user.role, 'alerts:read')) return new Error(`role ${user.role} may not watch alerts`);
    const sub = Subscription.safeParse(socket.handshake.auth ?? {});
    if (!sub.success) return new Error('bad handshake: auth must be { siteId?, wingId?, afterSeq? }');
    if (sub.data.wingId && !sub.data.siteId) return new Error('bad handshake: wingId needs siteId');
    socket.data = {
      user,
      siteId: sub.data.siteId,
      wingId: sub.data.wingId,
      mode: 'replay',
      lastSeq: 0,
      replayNo: 0,
    };
    return undefined;
  }

  private connected(socket: LiveSocket): void {
    const { user, siteId, wingId } = socket.data;
    void socket.join([
      `session:${user.sessionId}`,
      `user:${user.userId}`,
      siteId ? (wingId ? wingRoom(siteId, wingId) : siteRoom(siteId)) : ALL,
    ]);
    // A session that expires while the socket is open ends the socket too.
    // setTimeout fires at once beyond 2^31 - 1 ms (24.8 days), shorter than the longest session.
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.min(2 ** 31 - 1, Math.max(0, user.expiresAt.getTime() - Date.now())),
    );
    expiry.unref();
    this.options.metrics.sockets.inc();
    socket.on('disconnect', () => {
      this.options.metrics.sockets.dec();
      clearTimeout(expiry);
      socket.data.replayNo++;
    });
    socket.on('resume', (request, ack) => {
      const parsed = ResumeRequest.safeParse(request);
      if (!parsed.success) {
        if (typeof ack === 'function') ack({ ok: false, error: 'resume needs { afterSeq: integer >= 0 }' });
        return;
      }
      this.resume(socket, parsed.data.afterSeq).then(
        (result) => typeof ack === 'function' && ack(result),
        (err: unknown) => {
          this.options.log.warn({ err }, 'resume failed');
          if (typeof ack === 'function') ack({ ok: false, error: 'resume failed; try again' });
        },
      );
    });
    socket.emit('health', { problems: this.health });
    const afterSeq = (socket.handshake.auth as { afterSeq?: number }).afterSeq;
    if (afterSeq === undefined) {
      socket.data.lastSeq = this.headSeq();
      socket.data.mode = 'live';
      socket.emit('ready', { seq: socket.data.lastSeq });
    } else {
      this.resume(socket, afterSeq).catch((err: unknown) => {
        this.options.log.warn({ err }, 'resume at connect failed');
        socket.disconnect(true);
      });
    }
  }

  /**
   * Sends every change after `afterSeq` from the stream, then switches the socket to live. Live changes that
   * arrive meanwhile are not sent live: the replay reads on until it reaches the feed's head, so each change
   * is sent once, in sequence order, whether it came from the replay or the feed.
   */
  private resume(socket: LiveSocket, afterSeq: number): Promise<ResumeResult> {
    const data = socket.data;
    const replayNo = ++data.replayNo;
    data.mode = 'replay';
    // One replay at a time per socket: a client sending resume after resume would otherwise open a JetStream
    // consumer for each (thousands from one socket). The running one stops at its next message; of the ones
    // waiting behind it, only the latest reads.
    const previous = data.replaying;
    const run = (async (): Promise<ResumeResult> => {
      if (previous) await previous.catch(() => undefined);
      if (replayNo !== data.replayNo || socket.disconnected) return { ok: false, error: 'superseded' };
      return this.replay(socket, afterSeq, replayNo);
    })();
    data.replaying = run;
    return run;
  }

  private async replay(socket: LiveSocket, afterSeq: number, replayNo: number): Promise<ResumeResult> {
    const data = socket.data;
    this.jsm ??= jetstreamManager(this.options.nc);
    const { state } = await (await this.jsm).streams.info(ALERTS_STREAM);
    if ((afterSeq + 1 < state.first_seq && afterSeq < state.last_seq) || afterSeq > state.last_seq) {
      // The stream no longer holds what the client missed, or the client comes from before the stream was
      // recreated (its sequences are past the new stream's end): it must reload from the API, then resume.
      data.lastSeq = Math.max(this.headSeq(), state.last_seq);
      data.mode = 'live';
      socket.emit('resync', { afterSeq: data.lastSeq, reason: 'too-old' });
      return {
        ok: false,
        error: `changes after ${afterSeq} are no longer kept; reload and resume from ${data.lastSeq}`,
      };
    }
    let replayed = 0;
    let lastSeq = afterSeq;
    if (afterSeq < this.headSeq()) {
      // No subject filter: the stream's sequences are then contiguous, so reading up to the feed's head is
      // reading everything the feed skipped for this socket while it replayed; other sites are skipped here.
      const consumer = await this.options.js.consumers.get(ALERTS_STREAM, {
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: afterSeq + 1,
      });
      const messages = await consumer.consume({ max_messages: 500 });
      try {
        for await (const m of messages) {
          if (replayNo !== data.replayNo || socket.disconnected) return { ok: false, error: 'superseded' };
          lastSeq = m.seq;
          const entry = decodeEntry(m, this.options.log);
          if (entry && this.wants(data, entry)) {
            if (entry.assignee) this.assignees.set(entry.alert.alertId, entry.assignee);
            if (this.pending(socket) > this.maxPending / 2) await this.drained(socket);
            socket.emit('alert', this.push(entry));
            this.options.metrics.pushes.inc();
            replayed++;
          }
          // Synchronous from here to going live: the feed cannot deliver in between.
          if (m.seq >= this.headSeq()) break;
        }
      } finally {
        messages.stop();
      }
    }
    if (replayNo !== data.replayNo) return { ok: false, error: 'superseded' };
    // Anything the feed delivered up to its head was either replayed or not for this socket.
    data.lastSeq = Math.max(lastSeq, this.headSeq());
    data.mode = 'live';
    socket.emit('ready', { seq: data.lastSeq });
    return { ok: true, seq: data.lastSeq, replayed };
  }

  private wants(data: SocketData, entry: FeedEntry): boolean {
    if (!data.siteId) return true;
    if (entry.alert.siteId !== data.siteId) return false;
    return !data.wingId || (entry.alert.wingId ?? 'site') === data.wingId;
  }

  /** Packets queued for a socket and not yet written to its connection. */
  private pending(socket: LiveSocket): number {
    return (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
  }

  private async drained(socket: LiveSocket): Promise<void> {
    await Promise.race([once(socket.conn, 'drain'), once(socket, 'disconnect')]);
  }

  private stall(socket: LiveSocket): void {
    socket.data.mode = 'stalled';
    this.options.metrics.slowClients.inc();
    this.options.log.warn(
      { user: socket.data.user.username, lastSeq: socket.data.lastSeq },
      'slow socket dropped from the live feed',
    );
    socket.emit('resync', { afterSeq: socket.data.lastSeq, reason: 'slow-client' });
  }
}
