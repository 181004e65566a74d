/**
 * A clock input: the runtime's wall clock handed to the engine. `advance` is the periodic tick (how a site
 * whose sensors all went silent still gets its sensor-offline alerts); `expect` is the first start's
 * "every sensor of the site model should be heard from now on". The engine treats both like events, so a
 * replay must repeat them in the same place: each is numbered and logged with the stream sequence it followed.
 */
export interface ClockInput {
  /** Increases by one per input, across restarts. */
  no: number;
  /** The stream sequence of the last message handled before it. */
  afterSeq: number;
  kind: 'advance' | 'expect';
  siteId: string;
  /** Epoch ms. */
  at: number;
}
