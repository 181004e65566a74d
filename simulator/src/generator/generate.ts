import {
  indexSite,
  SENSOR_EVENT_KINDS,
  type SensorEvent,
  type SensorEventKind,
  type SiteIndex,
  type SiteModel,
} from '@wachtpost/contracts';
import { Rng } from '../rng';
import { eventId } from './event-ids';
import { PhoneNetwork } from './gsm';
import { startHeartbeats } from './heartbeats';
import { DEFAULT_RATES, type Rates } from './rates';
import { startRoster } from './roster';
import { Searches } from './searches';
import { Simulation } from './simulation';
import { startDrones } from './drones';

export interface GeneratorOptions {
  site: SiteModel | SiteIndex;
  seed: number;
  /** Start of simulated time (epoch ms or Date). */
  from: number | Date;
  /** End of simulated time, exclusive; without it the stream never ends. */
  to?: number | Date;
  /** Multiplies the drone flight rate (and the drops, phones and responses that follow), default 1. */
  intensity?: number;
  /** A drone flight to drop something, launched at this instant (epoch ms) besides the random ones: a demo's first. */
  firstFlightAt?: number;
  /** Marks the traffic as an exercise (the default) or not. */
  exercise?: boolean;
  /** Only these kinds leave the generator; the world behind them is simulated all the same. */
  kinds?: readonly SensorEventKind[];
  rates?: Partial<Rates>;
}

const ms = (t: number | Date) => (typeof t === 'number' ? t : t.getTime());

/**
 * Realistic sensor traffic for one site, in observedAt order, as a lazy stream: pull as many events as
 * needed, or all of a bounded range. Pure: the same options give the same events, byte for byte.
 */
export function* generateEvents(options: GeneratorOptions): Generator<SensorEvent> {
  const index = 'wingOfCell' in options.site ? options.site : indexSite(options.site);
  const siteId = index.site.id;
  const from = ms(options.from);
  const to = options.to === undefined ? Infinity : ms(options.to);
  const exercise = options.exercise ?? true;
  const kinds = new Set(options.kinds ?? SENSOR_EVENT_KINDS);
  // Several sites with one seed must not mirror each other.
  const seed = Rng.create(options.seed, `site:${siteId}`).seed;
  const sim = new Simulation(
    index,
    { ...DEFAULT_RATES, ...options.rates },
    seed,
    from,
    options.intensity ?? 1,
    kinds,
  );

  startHeartbeats(sim);
  startRoster(sim);
  const phones = new PhoneNetwork(sim);
  phones.start();
  const searches = new Searches(sim);
  searches.start();
  startDrones(sim, phones, searches, options.firstFlightAt);

  const ids = sim.rng('event-ids');
  const seqs = new Map<string, number>();
  for (;;) {
    const entry = sim.queue.pop();
    if (!entry || entry.at >= to) return;
    sim.now = entry.at;
    const draft = entry.run();
    if (!draft || !kinds.has(draft.kind)) continue;
    const seq = seqs.get(draft.sensorId) ?? 0;
    seqs.set(draft.sensorId, seq + 1);
    yield {
      v: 1,
      eventId: eventId(ids, entry.at),
      siteId,
      observedAt: new Date(entry.at).toISOString(),
      seq,
      exercise,
      ...draft,
    } as SensorEvent;
  }
}
