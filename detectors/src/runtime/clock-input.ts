import type { OperatorAction } from '../engine/alert-book';

/**
 * An input to the engine that is not a sensor event, logged so a replay repeats it in the same place: each is
 * numbered and logged with the stream sequence it followed.
 * - `advance`: the runtime's wall clock, the periodic tick (how a site whose sensors all went silent still
 *   gets its sensor-offline alerts);
 * - `expect`: the first start's "every sensor of the site model should be heard from now on";
 * - `operator`: an action an operator took in the console, which already stored its revision `rev`.
 */
export interface ClockInput {
  /** Increases by one per input, across restarts. */
  no: number;
  /** The stream sequence of the last message handled before it. */
  afterSeq: number;
  kind: 'advance' | 'expect' | 'operator';
  siteId: string;
  /** Epoch ms. */
  at: number;
  /** For `operator` only. */
  command?: OperatorInput;
}

export interface OperatorInput {
  alertId: string;
  action: OperatorAction;
  rev: number;
}
