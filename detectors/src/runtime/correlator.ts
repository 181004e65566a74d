import { validateSensorMessage, type SiteIndex } from '@wachtpost/contracts';
import type { AlertChange } from '../engine/alert-book';
import type { Disposition, Engine } from '../engine/engine';
import type { EngineState } from '../engine/lane-state';
import { packState } from '../engine/state-codec';
import type { ClockInput, OperatorInput } from './clock-input';
import type { SensorMessage } from './sensor-message';

/** What became of one message: the engine's disposition, or why the engine never saw it. */
export type FeedResult = Exclude<Disposition, 'unknown-site'> | 'invalid' | 'redelivered';

export interface FeedOutcome {
  result: FeedResult;
  /** The event's site, when it reached the engine. */
  siteId?: string;
}

/** A position in the input: the last stream sequence and the last clock input the state includes. */
export interface Position {
  seq: number;
  /**
   * When the stream stored the message at `seq` (epoch ms): with `seq`, it tells this stream from one deleted
   * and created again, which numbers its messages from 1 again. Absent before the first message, and in
   * snapshots written before it was recorded.
   */
  seqStoredAtMs?: number;
  clockNo: number;
}

export interface Restored extends Position {
  /** Absent when only clock inputs were logged (a first start that crashed before its first snapshot). */
  state: EngineState | undefined;
  /** Clock inputs logged after the snapshot, to repeat at their places while the stream is replayed. */
  replay: readonly ClockInput[];
}

export interface Snapshot extends Position {
  /** The engine state as JSON text, packed (engine/state-codec.ts); unpacked it restores exactly. */
  state: string;
}

export interface CorrelatorOptions {
  engine: Engine;
  sites: ReadonlyMap<string, SiteIndex>;
  retentionMs: number;
  restored?: Restored;
}

/**
 * The engine plus where it stands in the stream: feeds messages strictly in stream order, validates each
 * against the clock of the stream (when it was stored, not when it is read, so a replay judges it the same)
 * and repeats logged clock inputs at their places. No I/O: the worker reads, stores and publishes.
 */
export class Correlator {
  private readonly engine: Engine;
  private readonly sites: ReadonlyMap<string, SiteIndex>;
  private readonly retentionMs: number;
  private state: EngineState;
  private seq: number;
  private seqStoredAtMs: number | undefined;
  private clockNo: number;
  private replay: ClockInput[];

  constructor(options: CorrelatorOptions) {
    this.engine = options.engine;
    this.sites = options.sites;
    this.retentionMs = options.retentionMs;
    const restored = options.restored;
    this.state = restored?.state ?? options.engine.initialState();
    this.seq = restored?.seq ?? 0;
    this.seqStoredAtMs = restored?.seqStoredAtMs;
    this.clockNo = restored?.clockNo ?? 0;
    this.replay = [...(restored?.replay ?? [])].sort((a, b) => a.no - b.no);
  }

  /** The last stream sequence handled: every message at or below it is in the state. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Whether logged clock inputs still wait for their place in the replay. */
  get replaying(): boolean {
    return this.replay.length > 0;
  }

  feed(message: SensorMessage, out: AlertChange[]): FeedOutcome {
    if (message.seq <= this.seq) return { result: 'redelivered' };
    this.replayUpTo(message.seq - 1, out);
    this.seq = message.seq;
    this.seqStoredAtMs = message.storedAtMs;
    const verdict = validateSensorMessage(message.subject, message.data, {
      sites: this.sites,
      now: message.storedAtMs,
      retentionMs: this.retentionMs,
    });
    // Ingest stores and counts rejected messages; here they only move the position on.
    if (!verdict.ok) return { result: 'invalid' };
    const { changes, disposition } = this.engine.step(this.state, verdict.event);
    out.push(...changes);
    return {
      result: disposition === 'unknown-site' ? 'invalid' : disposition,
      siteId: verdict.event.siteId,
    };
  }

  /** Applies a new clock input now (after the last message handled) and returns it for the log. */
  clock(
    kind: ClockInput['kind'],
    siteId: string,
    at: number,
    out: AlertChange[],
    command?: OperatorInput,
  ): ClockInput {
    this.finishReplay(out);
    const input: ClockInput = { no: this.clockNo + 1, afterSeq: this.seq, kind, siteId, at };
    if (command) input.command = command;
    this.apply(input, out);
    return input;
  }

  /** Applies the logged clock inputs that are still waiting: the replay has reached the stream's end. */
  finishReplay(out: AlertChange[]): void {
    this.replayUpTo(Number.MAX_SAFE_INTEGER, out);
  }

  /** The parts of the state that grow with traffic, in items: buffered events, remembered event ids, drone reports. */
  get size(): number {
    let items = 0;
    for (const lane of Object.values(this.state.lanes)) {
      items += lane.buffer.length - lane.bufferHead + lane.seenOrder.length;
      for (const track of Object.values(lane.drones.tracks)) items += track.points.length;
    }
    return items;
  }

  snapshot(): Snapshot {
    return {
      state: packState(this.state),
      seq: this.seq,
      ...(this.seqStoredAtMs !== undefined && { seqStoredAtMs: this.seqStoredAtMs }),
      clockNo: this.clockNo,
    };
  }

  /** For tests and diagnostics. */
  alerts() {
    return this.engine.alerts(this.state);
  }

  private replayUpTo(seq: number, out: AlertChange[]): void {
    while (this.replay.length > 0 && this.replay[0]!.afterSeq <= seq) this.apply(this.replay.shift()!, out);
  }

  private run(input: ClockInput) {
    if (input.kind === 'advance') return this.engine.advance(this.state, input.siteId, input.at);
    if (input.kind === 'expect') return this.engine.expectSensors(this.state, input.siteId, input.at);
    if (!input.command) throw new Error(`operator input ${input.no} has no command`);
    return this.engine.command(this.state, { ...input.command, at: input.at });
  }

  private apply(input: ClockInput, out: AlertChange[]): void {
    out.push(...this.run(input).changes);
    this.clockNo = input.no;
  }
}
