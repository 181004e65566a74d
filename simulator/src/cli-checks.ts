import { DEFAULT_RETENTION_MS, MAX_CLOCK_AHEAD_MS, type SiteModel } from '@wachtpost/contracts';
import type { SilenceSpec } from './cli-options';

/** Checks of command-line values against the site and the clock, before anything is sent. Pure. */

/** A silence must name a sensor of the site: a typo would otherwise silence nothing, without a word. */
export function checkSilences(silences: readonly SilenceSpec[], site: SiteModel): void {
  const ids = site.sensors.map((s) => s.id);
  const unknown = [...new Set(silences.map((s) => s.sensorId).filter((id) => !ids.includes(id)))];
  if (unknown.length > 0) {
    throw new Error(
      `--silence: site ${site.id} has no sensor ${unknown.join(', ')}; its sensors are ${ids.join(', ')}`,
    );
  }
}

/**
 * Why ingest would reject a feed's events as `clock` (observed more than 5 minutes ahead of its clock), if it
 * would: a start in the future, or simulated time running faster than the wall clock from now on.
 */
export function feedClockWarning(options: {
  speed: number;
  start?: number;
  now: number;
}): string | undefined {
  const { speed, start, now } = options;
  if (start !== undefined && start > now + MAX_CLOCK_AHEAD_MS) {
    const minutes = Math.round((start - now) / 60_000);
    return (
      `warning: --start lies ${minutes} minutes ahead of the wall clock; ingest rejects observations more than ` +
      '5 minutes ahead as "clock", so it will reject these events. Start now or in the past (--start -6h).'
    );
  }
  if (speed > 1 && (start === undefined || start >= now)) {
    return (
      `warning: at speed ${speed} simulated time runs ahead of the wall clock; ingest rejects observations ` +
      'more than 5 minutes ahead as "clock". Start in the past (--start -6h) to stay behind it for longer.'
    );
  }
  return undefined;
}

/**
 * Why ingest would reject a scenario's events as `clock`, if it would: observed more than 5 minutes ahead of
 * the wall clock when sent (an --origin in the future), or older than the stream's default retention (one long
 * past). Events at `t` are sent at `now + (t - from) / speed`, so the worst lies at one end of the span.
 */
export function scenarioClockWarning(options: {
  from: number;
  to: number;
  speed: number;
  now: number;
}): string | undefined {
  const { from, to, speed, now } = options;
  const aheadWhenSent = (t: number) => t - (now + (t - from) / speed);
  const ahead = Math.max(aheadWhenSent(from), aheadWhenSent(to));
  if (ahead > MAX_CLOCK_AHEAD_MS) {
    return (
      `warning: the scenario's events lie up to ${Math.round(ahead / 60_000)} minutes ahead of the wall clock ` +
      'when sent; ingest rejects observations more than 5 minutes ahead as "clock", so it will reject them. ' +
      'Give an --origin further back, or none.'
    );
  }
  const behind = -Math.min(aheadWhenSent(from), aheadWhenSent(to));
  if (behind > DEFAULT_RETENTION_MS) {
    return (
      `warning: the scenario's events lie up to ${Math.round(behind / 86_400_000)} days behind the wall clock ` +
      'when sent; ingest rejects observations older than the SENSORS retention (7 days unless ' +
      'SENSORS_RETENTION_DAYS says otherwise) as "clock". Give a later --origin, or none.'
    );
  }
  return undefined;
}
