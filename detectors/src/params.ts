import { LIFECYCLE_DEFAULTS, type LifecycleParams } from './engine/alert-book';
import type { NightHours } from './engine/local-time';
import { CONTRABAND_DELIVERY_DEFAULTS, type ContrabandDeliveryParams } from './rules/contraband-delivery';
import { DETECTION_GAP_DEFAULTS, type DetectionGapParams } from './rules/detection-gap';
import { DRONE_DROP_DEFAULTS, type DroneDropParams } from './rules/drone-drop';
import { DRONE_INCURSION_DEFAULTS, type DroneIncursionParams } from './rules/drone-incursion';
import { GSM_BURST_DEFAULTS, type GsmBurstParams } from './rules/gsm-burst';
import { PERSISTENT_PHONE_DEFAULTS, type PersistentPhoneParams } from './rules/persistent-phone';
import {
  PHONE_FOLLOWS_DETAINEE_DEFAULTS,
  type PhoneFollowsDetaineeParams,
} from './rules/phone-follows-detainee';
import { SEARCH_MISSED_DEFAULTS, type SearchMissedParams } from './rules/search-missed';
import { SENSOR_OFFLINE_DEFAULTS, type SensorOfflineParams } from './rules/sensor-offline';

export interface EngineParams {
  /** How late an event may arrive and still correlate as if on time. */
  allowedLatenessS: number;
  /** How long past the watermark event ids are remembered to drop redeliveries. */
  dedupeHorizonS: number;
}

/**
 * Every threshold of every rule, per site. Sections are named after the rule ids; `engine`, `lifecycle`
 * and `nights` are shared. Defaults are the values of the detectors issue.
 */
export interface DetectorParams {
  engine: EngineParams;
  lifecycle: LifecycleParams;
  nights: NightHours;
  'drone-incursion': DroneIncursionParams;
  'drone-drop': DroneDropParams;
  'contraband-delivery': ContrabandDeliveryParams;
  'persistent-phone': PersistentPhoneParams;
  'phone-follows-detainee': PhoneFollowsDetaineeParams;
  'search-missed': SearchMissedParams;
  'detection-gap': DetectionGapParams;
  'sensor-offline': SensorOfflineParams;
  'gsm-burst': GsmBurstParams;
}

/** What a site may override: any subset of any section. */
export type DetectorParamsInput = { [S in keyof DetectorParams]?: Partial<DetectorParams[S]> };

export const DEFAULT_PARAMS: DetectorParams = {
  engine: { allowedLatenessS: 120, dedupeHorizonS: 3600 },
  lifecycle: LIFECYCLE_DEFAULTS,
  nights: { startHour: 22, endHour: 6 },
  'drone-incursion': DRONE_INCURSION_DEFAULTS,
  'drone-drop': DRONE_DROP_DEFAULTS,
  'contraband-delivery': CONTRABAND_DELIVERY_DEFAULTS,
  'persistent-phone': PERSISTENT_PHONE_DEFAULTS,
  'phone-follows-detainee': PHONE_FOLLOWS_DETAINEE_DEFAULTS,
  'search-missed': SEARCH_MISSED_DEFAULTS,
  'detection-gap': DETECTION_GAP_DEFAULTS,
  'sensor-offline': SENSOR_OFFLINE_DEFAULTS,
  'gsm-burst': GSM_BURST_DEFAULTS,
};

/** Parameters that count things: whole numbers of at least 1. */
const COUNTS = new Set([
  'flapCount',
  'maxEvidence',
  'minNights',
  'escalateNights',
  'priorNights',
  'missedIntervals',
  'minBursts',
  'baselineDays',
]);
/** Parameters where 0 is meaningful (no lateness, no cool-down, publish every repeat, "over" only). */
const MAY_BE_ZERO = new Set([
  'allowedLatenessS',
  'cooldownMin',
  'repeatEmitS',
  'nearM',
  'sdFactor',
  'dedupeHorizonS',
]);

export class DetectorParamsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid detector parameters ${source}:\n  ${problems.join('\n  ')}`);
    this.name = 'DetectorParamsError';
  }
}

/**
 * Merges a site's overrides over the defaults and checks them, naming each bad path. The site model of
 * the contract has no place for them (and its schema drops unknown keys), so the runtime takes them from its
 * configuration (DETECTORS_PARAMS) and passes them here.
 */
export function resolveDetectorParams(input: unknown, source = 'detectorParams'): DetectorParams {
  const problems: string[] = [];
  const merged = structuredClone(DEFAULT_PARAMS) as unknown as Record<string, Record<string, number>>;
  if (input !== undefined && input !== null) {
    if (typeof input !== 'object' || Array.isArray(input)) {
      throw new DetectorParamsError(source, ['(top level): must be a mapping of sections']);
    }
    for (const [section, values] of Object.entries(input)) {
      const defaults = Object.hasOwn(merged, section) ? merged[section] : undefined;
      if (!defaults) {
        problems.push(`${section}: unknown section (known: ${Object.keys(DEFAULT_PARAMS).join(', ')})`);
        continue;
      }
      if (typeof values !== 'object' || values === null || Array.isArray(values)) {
        problems.push(`${section}: must be a mapping`);
        continue;
      }
      for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
        const problem = Object.hasOwn(defaults, name) ? checkValue(name, value) : 'unknown parameter';
        if (problem) problems.push(`${section}.${name}: ${problem}`);
        else defaults[name] = value as number;
      }
    }
  }
  const nights = merged.nights!;
  if (nights.startHour === nights.endHour) problems.push('nights: startHour and endHour must differ');
  if (problems.length > 0) throw new DetectorParamsError(source, problems);
  return merged as unknown as DetectorParams;
}

function checkValue(name: string, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (name.endsWith('Hour'))
    return Number.isInteger(value) && value >= 0 && value <= 23 ? null : 'must be an hour 0-23';
  if (COUNTS.has(name))
    return Number.isInteger(value) && value >= 1 ? null : 'must be a whole number of at least 1';
  if (MAY_BE_ZERO.has(name)) return value >= 0 ? null : 'must be 0 or more';
  return value > 0 ? null : 'must be more than 0';
}

/**
 * Checks overrides keyed by site id (DETECTORS_PARAMS) before anything starts: a site that is not loaded and every
 * bad value are named, so a typo stops start-up instead of leaving detection dead behind a "Wachtpost is up".
 */
export function checkDetectorParams(
  params: Readonly<Record<string, unknown>>,
  siteIds: readonly string[],
  source = 'DETECTORS_PARAMS',
): void {
  const unknown = Object.keys(params).filter((id) => !siteIds.includes(id));
  if (unknown.length > 0) {
    throw new DetectorParamsError(
      source,
      unknown.map((id) => `${id}: no site "${id}" is loaded (loaded: ${siteIds.join(', ')})`),
    );
  }
  for (const [siteId, overrides] of Object.entries(params))
    resolveDetectorParams(overrides, `${source}.${siteId}`);
}
