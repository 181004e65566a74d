import type { NatsConnection } from '@nats-io/transport-node';
import type { Alert } from '@wachtpost/contracts';
import type { TimedMessage } from '../messages/message';
import { createPublisher, type PublishStats } from '../nats/publisher';
import { Pacer, systemClock, type Clock } from '../run/pacer';
import { watchAlerts } from './alert-watch';
import type { CompiledScenario } from './compile';
import { Judge, type ExpectationResult, type JudgeSummary } from './judge';

/** What paces the scenario: the simulator's Pacer, or the console's pausable one. */
export interface ScenarioPacer {
  until(simMs: number, signal?: AbortSignal): Promise<void>;
}

export interface ScenarioRunOptions {
  nc: NatsConnection;
  compiled: CompiledScenario;
  /** Simulated seconds per real second (default 1); ignored when `pacer` is given. */
  speed?: number;
  pacer?: ScenarioPacer;
  /** After the last message, how many real seconds to wait for expected alerts still missing (default 30). */
  waitS?: number;
  core?: boolean;
  window?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Messages for which this answers false are held back (a silenced sensor). */
  send?: (message: TimedMessage) => boolean;
  /** Each message sent, and each alert revision seen, as they happen (the console's live counters). */
  onPublished?: (stats: PublishStats) => void;
  onAlert?: (alert: Alert, judge: Judge) => void;
  /** Each message as it is handed to the publisher. */
  onSent?: (message: TimedMessage) => void;
}

export interface ScenarioReport extends PublishStats {
  command: 'scenario';
  scenario: string;
  siteId: string;
  origin: string;
  simulatedFrom: string;
  simulatedTo: string;
  realSeconds: number;
  /** Exercise alert revisions of the site seen on ALERTS during the run. */
  alerts: number;
  expectations: ExpectationResult[];
  summary: JudgeSummary;
  otherAlerts: string[];
  /** True when the run was stopped before it ended; expectations not yet decided then stay `pending`. */
  aborted: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Publishes a compiled scenario in (scaled) time and judges its expectations against ALERTS: from the start of
 * the run an ordered consumer reads the site's alerts; after the last message the run waits up to `waitS` for
 * expectations not yet met, and ends at once when all are decided.
 */
export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioReport> {
  const { compiled } = options;
  const clock = options.clock ?? systemClock;
  const signal = options.signal ?? new AbortController().signal;
  const realStart = clock.now();
  const judge = new Judge(compiled.siteId, compiled.expectations);
  let alerts = 0;
  let settledWake: (() => void) | undefined;
  const watch = await watchAlerts(options.nc, compiled.siteId, realStart, (alert) => {
    if (!alert.exercise) return;
    alerts++;
    judge.observe(alert, clock.now() - realStart);
    options.onAlert?.(alert, judge);
    if (judge.settled()) settledWake?.();
  });
  const publisher = createPublisher(options.nc, {
    ...(options.core !== undefined && { core: options.core }),
    ...(options.window !== undefined && { window: options.window }),
  });
  const first = compiled.messages[0]?.at ?? compiled.from;
  const pacer = options.pacer ?? new Pacer(clock, first, realStart, options.speed ?? 1);
  try {
    for (const message of compiled.messages) {
      if (signal.aborted) break;
      await pacer.until(message.at, signal);
      if (signal.aborted) break;
      if (options.send && !options.send(message)) continue;
      await publisher.publish(message);
      options.onSent?.(message);
      options.onPublished?.(publisher.stats);
    }
    const stats = await publisher.flush();
    options.onPublished?.(stats);
    if (!signal.aborted && !judge.settled()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, (options.waitS ?? 30) * 1000);
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        settledWake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    await watch.stop();
  }
  // Stopped early, what is still pending was never given its chance: not judged rather than missed.
  const { expectations, summary, otherAlerts } = judge.report(!signal.aborted);
  return {
    command: 'scenario',
    scenario: compiled.name,
    siteId: compiled.siteId,
    origin: iso(compiled.origin),
    simulatedFrom: iso(compiled.from),
    simulatedTo: iso(compiled.to),
    ...publisher.stats,
    realSeconds: (clock.now() - realStart) / 1000,
    alerts,
    expectations,
    summary,
    otherAlerts,
    aborted: signal.aborted,
  };
}
