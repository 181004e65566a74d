import type { SensorEvent, SensorEventKind, SiteIndex, SiteSensor } from '@wachtpost/contracts';
import { Rng } from '../rng';
import { SiteClock } from '../site-time';
import { EventQueue } from './event-queue';
import type { Rates } from './rates';
import { World } from './world';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the envelope (id, site, time, seq, exercise) is put around it. */
export type Draft = DistributiveOmit<
  SensorEvent,
  'v' | 'eventId' | 'siteId' | 'observedAt' | 'seq' | 'exercise'
>;

/** What every process of the simulation shares: the scheduler, the site, its clock, the world state. */
export class Simulation {
  readonly queue = new EventQueue<Draft>();
  readonly clock: SiteClock;
  readonly world: World;
  private readonly gsmSensorsByZone = new Map<string, SiteSensor[]>();
  /** The simulated instant being processed; the runner advances it. */
  now: number;

  constructor(
    readonly index: SiteIndex,
    readonly rates: Rates,
    readonly seed: number,
    readonly from: number,
    readonly intensity: number,
    private readonly emitted: ReadonlySet<SensorEventKind>,
  ) {
    this.now = from;
    this.clock = new SiteClock(index.site.timezone);
    this.world = new World(index, this.rng('world'));
    for (const sensor of index.site.sensors) {
      if (sensor.kind !== 'gsm') continue;
      for (const zoneId of sensor.zoneIds) {
        const list = this.gsmSensorsByZone.get(zoneId) ?? [];
        list.push(sensor);
        this.gsmSensorsByZone.set(zoneId, list);
      }
    }
  }

  get site() {
    return this.index.site;
  }

  /** An independent random stream per process, so processes do not shift each other's draws. */
  rng(label: string): Rng {
    return Rng.create(this.seed, label);
  }

  /** Whether events of `kind` leave the generator; processes skip building events nobody will see. */
  emits(kind: SensorEventKind): boolean {
    return this.emitted.has(kind);
  }

  sensorsOfKind(kind: SiteSensor['kind']): SiteSensor[] {
    return this.site.sensors.filter((s) => s.kind === kind);
  }

  /** The GSM sensors that listen in a zone (a cell is a zone too). */
  gsmSensorsFor(zoneId: string): readonly SiteSensor[] {
    return this.gsmSensorsByZone.get(zoneId) ?? [];
  }

  localHour(t: number): number {
    return this.clock.local(t).hour;
  }

  /**
   * Schedules `run` at `at`, never before the current instant: the output must stay in observedAt order,
   * so nothing may be scheduled into the past.
   */
  schedule(at: number, run: () => Draft | undefined): void {
    this.queue.schedule(Math.max(Math.round(at), this.now), run);
  }

  /** Schedules one draft to be emitted at `at`. */
  emitAt(at: number, draft: Draft): void {
    this.schedule(at, () => draft);
  }

  /** Schedules an action that emits nothing itself. */
  at(at: number, action: () => void): void {
    this.schedule(at, () => {
      action();
      return undefined;
    });
  }
}
