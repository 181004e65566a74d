import { InvalidArgumentError } from 'commander';
import { FAULT_KINDS, type FaultKind } from './messages/faults';

/** Parsers for command-line values; each throws commander's error so the message names the option. */

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

export function probability(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be between 0 and 1');
  return n;
}

/** `all` or a comma-separated list of fault kinds. */
export function faultKinds(value: string): FaultKind[] {
  if (value === 'all') return [...FAULT_KINDS];
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown fault ${unknown.join(', ')}; choose from ${FAULT_KINDS.join(', ')} or all`,
    );
  }
  return kinds as FaultKind[];
}

export interface SilenceSpec {
  sensorId: string;
  afterS: number;
  forS: number;
}

/** `sensorId[:afterS[:forS]]`, collected over repeated flags; defaults: after 60 s, for 600 s (simulated). */
export function silence(value: string, previous: SilenceSpec[] = []): SilenceSpec[] {
  const [sensorId = '', after = '60', duration = '600'] = value.split(':');
  const afterS = Number(after);
  const forS = Number(duration);
  if (!sensorId || !Number.isFinite(afterS) || afterS < 0 || !(forS > 0)) {
    throw new InvalidArgumentError('expected sensorId[:afterSeconds[:forSeconds]], e.g. rf-1:60:300');
  }
  return [...previous, { sensorId, afterS, forS }];
}

const RELATIVE = /^-(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A start time given on the command line, as a function of now. */
export type StartTime = (now: number) => number;

/** An RFC 3339 instant, or a time before now such as `-6h` or `-2d`; a commander option parser. */
export function startTime(value: string): StartTime {
  const relative = RELATIVE.exec(value);
  if (relative) {
    const ms = Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
    return (now) => now - ms;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidArgumentError('expected an RFC 3339 time or an offset like -6h');
  return () => t;
}
