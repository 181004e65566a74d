// socket.io live push (console/server/README.md, "Live push"): keeps the last seq seen, resumes from it on
// every reconnect (the handshake `auth` is read afresh each time), and answers `resync`.
import { io, type Socket } from 'socket.io-client';
import type { AlertPush, HealthProblem, LivePayload } from './types';

export type LiveState = 'connecting' | 'live' | 'lost';

export interface LiveHandlers {
  onAlert: (push: AlertPush) => void;
  /** `resumed` is true when the socket is live again after having been lost. */
  onState: (state: LiveState, resumed: boolean) => void;
  /** The server no longer keeps the changes missed (`resync` too-old): reload from the API. */
  onReloadNeeded: () => void;
  /** The handshake was refused because the session ended. */
  onSignedOut: () => void;
  /** Why the board may be missing alerts (empty: nothing wrong); sent on connecting and on every change. */
  onHealth: (problems: HealthProblem[]) => void;
}

interface ServerEvents {
  alert: (payload: LivePayload) => void;
  ready: (info: { seq: number }) => void;
  resync: (info: { afterSeq: number; reason: 'slow-client' | 'too-old' }) => void;
  health: (info: { problems: HealthProblem[] }) => void;
}
interface ClientEvents {
  resume: (request: { afterSeq: number }) => void;
}

const RETRY_REFUSED_MS = 5000;

/** The payload as the board keeps it: the contract Alert apart from the console's fields. */
export function fromLivePayload(payload: LivePayload): AlertPush {
  const { seq, console: fields, action, ...alert } = payload;
  return { seq, alert, console: fields, ...(action && { action }) };
}

export class LiveClient {
  /** The highest ALERTS stream sequence seen; undefined until the first `ready`. */
  lastSeq: number | undefined;
  private readonly socket: Socket<ServerEvents, ClientEvents>;
  private wasLive = false;
  private state: LiveState = 'connecting';
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly h: LiveHandlers) {
    this.socket = io({
      // A function, so each reconnect resumes from where this client is now.
      auth: (cb) => cb(this.lastSeq === undefined ? {} : { afterSeq: this.lastSeq }),
      withCredentials: true,
    });
    const s = this.socket;
    s.on('alert', (payload) => {
      this.lastSeq = Math.max(this.lastSeq ?? 0, payload.seq);
      this.h.onAlert(fromLivePayload(payload));
    });
    s.on('ready', ({ seq }) => {
      this.lastSeq = Math.max(this.lastSeq ?? 0, seq);
      this.setState('live', this.wasLive);
      this.wasLive = true;
    });
    s.on('health', ({ problems }) => this.h.onHealth(problems));
    s.on('resync', ({ afterSeq, reason }) => {
      if (reason === 'too-old') {
        // The server is live again from afterSeq; what came before must come from the API.
        this.lastSeq = afterSeq;
        this.h.onReloadNeeded();
      } else {
        s.emit('resume', { afterSeq: this.lastSeq ?? afterSeq });
      }
    });
    s.on('disconnect', (reason) => {
      if (this.closed) return;
      this.setState('lost', false);
      // The server ended the socket (logout elsewhere, role change, session expiry): socket.io does not come
      // back by itself; try once, and the handshake will say whether the session still holds.
      if (reason === 'io server disconnect') this.reconnectLater(0);
    });
    s.on('connect_error', (err) => {
      if (this.closed) return;
      this.setState('lost', false);
      if (err.message === 'not signed in') {
        this.h.onSignedOut();
        return;
      }
      // Refused by the server's middleware: socket.io will not retry that by itself.
      if (!s.active) this.reconnectLater(RETRY_REFUSED_MS);
    });
  }

  private reconnectLater(ms: number): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (!this.closed) this.socket.connect();
    }, ms);
  }

  private setState(state: LiveState, resumed: boolean): void {
    if (state === this.state && !resumed) return;
    this.state = state;
    this.h.onState(state, resumed);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
