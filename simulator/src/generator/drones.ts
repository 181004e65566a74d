import { hourWeight, nextArrival, normaliseWeights } from './arrivals';
import { AIRFRAMES, pickTarget, planFlight, type Flight, type FlightSiteGeometry } from './drone-flight';
import { droneSensorModels, observe, planTracks, type TrackPlan } from './drone-sensors';
import { extentM, LocalGrid } from './geometry';
import type { PhoneNetwork } from './gsm';
import { HOUR_MS, YEAR_MS } from './rates';
import type { Drop, Searches } from './searches';
import type { Simulation } from './simulation';

const isNight = (hour: number) => hour >= 21 || hour < 5;

/**
 * Drone flights over the site: arrivals by the calibrated yearly rate times the intensity, most at night.
 * Each flight is planned whole (a ground truth path), then every drone sensor in range reports its own
 * track at 1 Hz. Drops put phones in a cell of the wing they were aimed at, unless a response search
 * recovers them first.
 */
export function startDrones(
  sim: Simulation,
  phones: PhoneNetwork,
  searches: Searches,
  firstFlightAt?: number,
): void {
  const { site, rates } = sim;
  const rng = sim.rng('drones');
  const grid = LocalGrid.around(site.airspace);
  const airspace = site.airspace.map((p) => grid.toXY(p));
  const geometry: FlightSiteGeometry = {
    airspace,
    airspaceRadiusM: extentM(airspace),
    yards: [...sim.index.zones.values()]
      .filter((z) => z.type === 'yard' && z.polygon)
      .map((z) => ({ zoneId: z.id, wingIds: z.wingIds, polygon: z.polygon!.map((p) => grid.toXY(p)) })),
    wings: site.wings
      .filter((w) => w.footprint)
      .map((w) => ({ wingId: w.id, footprint: w.footprint!.map((p) => grid.toXY(p)) })),
  };
  const models = droneSensorModels(site.sensors, geometry.airspaceRadiusM);
  const weights = normaliseWeights(rates.droneHourWeights);
  const perHour = (rates.droneFlightsPerYear * sim.intensity) / (YEAR_MS / HOUR_MS);
  const peak = perHour * Math.max(...weights);
  let flightNo = 0;

  const emitTrack = (flight: Flight, track: TrackPlan, label: string) => {
    const trackRng = sim.rng(label);
    const step = (i: number) => {
      sim.schedule(track.samples[i]!.t + track.offsetMs, () => {
        if (i + 1 < track.samples.length) step(i + 1);
        return observe(trackRng, grid, flight, track, i);
      });
    };
    step(0);
  };

  /** `toDrop`: a flight that certainly comes over the site (a drop), not one that may only pass it. */
  const launch = (t: number, toDrop = false) => {
    const n = flightNo++;
    const flightRng = sim.rng(`flight-${n}`);
    // Night flights are mostly drops; by day more of them only look or pass.
    const night = isNight(sim.localHour(t));
    const deliveryShare = toDrop
      ? 1
      : Math.max(0, Math.min(1, rates.droneDeliveryShare + (night ? 0.1 : -0.2)));
    const target = pickTarget(flightRng, geometry, deliveryShare, rates.droneYardShare);
    const airframe = flightRng.weighted(AIRFRAMES);
    const flight = planFlight(flightRng, t, geometry, target, airframe, rates.remoteIdShare);
    if (sim.emits('drone')) {
      planTracks(flightRng, flight, models).forEach((track, k) =>
        emitTrack(flight, track, `flight-${n}-track-${k}`),
      );
    }
    if (target.purpose !== 'recon' && target.wingId !== undefined && flight.hover) {
      const droppedAt = flight.samples[flight.hover.last]!.t;
      const wingId = target.wingId;
      sim.at(droppedAt, () => drop(flightRng, wingId, droppedAt));
    }
  };

  const drop = (dropRng: ReturnType<Simulation['rng']>, wingId: string, at: number) => {
    const wingCells = sim.world.cellsOfWing.get(wingId) ?? [];
    const occupied = wingCells.filter((c) => sim.world.occupant.has(c));
    const cellId = sim.world.smugglingTarget(dropRng, occupied.length > 0 ? occupied : wingCells);
    if (cellId === undefined) return;
    const { min, max, mean } = rates.phonesPerDrop;
    const count = Math.max(min, Math.min(max, Math.round(dropRng.normal(mean, 0.7))));
    const dropped: Drop = { wingId, cellId, phones: count, delivered: [], recovered: false };
    // From a yard it takes until the next yard round; at a window it is pulled in at once.
    sim.at(at + dropRng.uniform(0.2, 18) * HOUR_MS, () => {
      if (dropped.recovered) return;
      for (let i = 0; i < count; i++) dropped.delivered.push(phones.place(cellId));
    });
    searches.respondTo(dropped, at);
  };

  const step = (t: number) => {
    const next = nextArrival(rng, t, peak, (at) => perHour * hourWeight(weights, sim.localHour(at)));
    if (next === undefined) return;
    sim.at(next, () => {
      launch(next);
      step(next);
    });
  };
  step(sim.from);
  if (firstFlightAt !== undefined) sim.at(firstFlightAt, () => launch(firstFlightAt, true));
}
