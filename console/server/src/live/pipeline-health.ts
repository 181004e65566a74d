import { jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DETECTORS_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { isJetStreamNotFound, type Logger } from '@wachtpost/platform';

/** `feed`: this server does not follow ALERTS; `detection-*`: sensor events are not being correlated in time. */
export const HEALTH_CODES = ['feed', 'detection-stopped', 'detection-behind'] as const;

/** One reason the board may not show every alert it should, in words for the control room. */
export interface HealthProblem {
  code: (typeof HEALTH_CODES)[number];
  message: string;
}

export interface PipelineHealthOptions {
  /** How often to look (5 s by default). */
  checkEveryMs?: number;
  /** Sensor events waiting this long with none processed means detection stopped (60 s by default). */
  stalledAfterMs?: number;
  /** More events than this waiting means detection is behind, though moving (10,000 by default). */
  behindAtWaiting?: number;
}

/** A look that takes longer than this counts as NATS not answering. */
const API_TIMEOUT_MS = 2000;

/** "45 s", "3 min", "2 h 5 min": how long, without the viewer's time zone. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/**
 * Whether the alerts the board shows can be trusted to be complete and on time. A quiet board must mean a quiet
 * prison, not stopped detectors: from the detectors' consumer on SENSORS (metadata only) it tells when sensor
 * events wait and none has been processed for a while, or when very many wait; and it passes on the live feed's
 * own problem. Pure of the socket layer: `onChange` gets the new list whenever it differs.
 */
export class PipelineHealth {
  private problems: HealthProblem[] = [];
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  /** Checks in a row that could not reach NATS. */
  private failures = 0;
  /** The consumer's acknowledged sequence at the last check. */
  private ackFloor = -1;
  /** Since when checks have seen events waiting and the acknowledged sequence not moving. */
  private stuckSince: number | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly feedProblem: () => string | undefined,
    private readonly log: Logger,
    private readonly onChange: (problems: HealthProblem[]) => void,
    private readonly options: PipelineHealthOptions = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs ?? 5000);
    this.timer.unref();
    void this.check();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const problems: HealthProblem[] = [];
      const feed = this.feedProblem();
      if (feed) problems.push({ code: 'feed', message: `This console is not receiving alerts: ${feed}.` });
      const detection = this.detection(await this.detectorsConsumer(), Date.now());
      if (detection) problems.push(detection);
      this.failures = 0;
      this.set(problems);
    } catch (err) {
      // One failed look may be a blip of a reconnect; two in a row mean nothing is arriving.
      this.log.debug({ err }, 'pipeline health check failed');
      if (++this.failures >= 2) {
        this.set([
          {
            code: 'feed',
            message: `This console cannot reach NATS (${(err as Error).message}): alerts are not arriving.`,
          },
        ]);
      }
    } finally {
      this.checking = false;
    }
  }

  private async detectorsConsumer(): Promise<ConsumerInfo | undefined> {
    try {
      const jsm = await jetstreamManager(this.nc, { timeout: API_TIMEOUT_MS });
      return await jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
    } catch (err) {
      if (isJetStreamNotFound(err)) return undefined;
      throw err;
    }
  }

  private detection(info: ConsumerInfo | undefined, now: number): HealthProblem | undefined {
    if (!info) {
      return {
        code: 'detection-stopped',
        message: 'Detection is not running: its JetStream consumer is missing.',
      };
    }
    const waiting = info.num_pending + info.num_ack_pending;
    const moved = info.ack_floor.stream_seq !== this.ackFloor;
    this.ackFloor = info.ack_floor.stream_seq;
    // Counted from the first check that saw events wait without progress, not from the last acknowledgement:
    // after a quiet hour, one event that the next few milliseconds will process is no stall.
    if (waiting === 0 || moved) this.stuckSince = undefined;
    else this.stuckSince ??= now;
    if (this.stuckSince !== undefined && now - this.stuckSince >= (this.options.stalledAfterMs ?? 60_000)) {
      return {
        code: 'detection-stopped',
        message:
          `Detection has processed nothing for ${duration(now - this.stuckSince)} while ` +
          (waiting === 1 ? '1 sensor event waits.' : `${waiting.toLocaleString('en')} sensor events wait.`),
      };
    }
    if (waiting > (this.options.behindAtWaiting ?? 10_000)) {
      return {
        code: 'detection-behind',
        message: `Detection is catching up: ${waiting.toLocaleString('en')} sensor events are waiting.`,
      };
    }
    return undefined;
  }

  private set(problems: HealthProblem[]): void {
    if (JSON.stringify(problems) === JSON.stringify(this.problems)) return;
    for (const p of problems) {
      if (!this.problems.some((q) => q.code === p.code)) this.log.warn({ problem: p.code }, p.message);
    }
    if (problems.length === 0) this.log.info('alert pipeline healthy again');
    this.problems = problems;
    this.onChange(problems);
  }
}
