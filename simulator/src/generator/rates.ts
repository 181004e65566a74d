/**
 * Calibration of the generator. Sources and reasoning are in simulator/README.md ("Calibration"); figures
 * without a public source are marked as assumptions there. Hourly profiles are indexed by the site's local
 * hour (0-23), so they follow daylight saving.
 */
export interface Rates {
  /** Drone flights per site per year at intensity 1 (298 objects across ~30 Dutch PIs in 2023). */
  droneFlightsPerYear: number;
  /** Relative weight of a flight starting in each local hour; night-heavy (drops happen in the dark). */
  droneHourWeights: readonly number[];
  /** Share of flights that deliver a payload (the rest reconnoitre or pass). */
  droneDeliveryShare: number;
  /** Share of deliveries that hover over a yard (the rest go to a cell window on a wing facade). */
  droneYardShare: number;
  /** Phones in one drop: ~2 phones per package (Telegraaf 2022, nieuws.nl 2021). */
  phonesPerDrop: { min: number; max: number; mean: number };
  /** Share of drone detections that led to a response (55 of 298 in 2023). */
  droneResponseShare: number;
  /** Share of responses that recovered the drop (15 phones and 3 drug packages in 55 responses). */
  droneResponseRecoveryShare: number;
  /** Share of smuggling drones that broadcast Remote ID (assumption: most have it switched off). */
  remoteIdShare: number;

  /** Share of cells that hold an active contraband phone at the start (assumption). */
  phoneCellShare: number;
  /** Mean days a contraband phone stays in use before it is discarded, moved on or dies (assumption). */
  phoneLifetimeDays: number;
  /** GSM bursts per hour from one contraband phone, by local hour (assumption; night peak after lock-up). */
  phoneBurstsPerHour: readonly number[];
  /** Bursts per hour from one service phone (allowlisted) in its wing's corridors, 07:00-22:00. */
  servicePhoneBurstsPerHour: number;
  /** Bursts per hour in a yard zone while detainees are out (yard hours below) and otherwise. */
  yardBurstsPerHour: { yardTime: number; otherwise: number };
  /** Local hours when yards are in use, as [from, to) pairs. */
  yardHours: readonly (readonly [number, number])[];
  /** Share of bursts that carry a deviceKey from a lawful identifying source (assumption). */
  gsmDeviceKeyShare: number;

  /** Contraband finds (finding records) per 100 cells per month: 1,760 in Jan-Apr 2019 on ~9,500 cells. */
  findsPer100CellsPerMonth: number;
  /** Category mix of finds: 60% drugs, 30% phones, 10% other (NRC 2019). */
  findMix: readonly (readonly [FindCategory, number])[];
  /** How often a cell is searched per month, all search types together (assumption: about monthly). */
  cellSearchesPerCellMonth: number;
  /** Mean days between whole-wing spitacties per wing (assumption). */
  spitactieEveryDays: number;
  /** Share of single-cell searches that follow intelligence (GRIP) and target a cell with an active phone. */
  intelligenceShare: number;
  /** Chance that an intelligence-led search of a cell finds something. */
  intelligenceFindChance: number;

  /** Share of cells occupied at the start and on average. */
  occupancy: number;
  /** Mean stay in days; admits and releases follow from it (DJI inflow of tens of thousands on ~10k places). */
  meanStayDays: number;
  /** Internal moves per 100 cells per day (assumption). */
  movesPer100CellsPerDay: number;
  /** Share of roster messages that are late corrections, effective hours or days before they are sent. */
  rosterLateShare: number;

  /** Heartbeat status mix. */
  heartbeatDegradedShare: number;
  heartbeatFaultShare: number;
}

export type FindCategory =
  'phone' | 'sim' | 'charger' | 'data-carrier' | 'drugs' | 'weapon' | 'cash' | 'other';

/** Office hours on weekdays: when searches and most roster changes happen. */
export function officeHoursWeight(hour: number, weekday: number): number {
  const weekend = weekday === 0 || weekday === 6;
  if (hour >= 8.5 && hour < 16.5) return weekend ? 0.25 : 1;
  return 0;
}

const night = (h: number) => h >= 21 || h < 5;

export const DEFAULT_RATES: Rates = {
  droneFlightsPerYear: 10,
  // 21:00-05:00 weighs five times a daytime hour, so about 70% of flights (40 of 56 weights) start then.
  droneHourWeights: Array.from({ length: 24 }, (_, h) => (night(h) ? 5 : 1)),
  droneDeliveryShare: 0.7,
  droneYardShare: 0.6,
  phonesPerDrop: { min: 1, max: 3, mean: 2 },
  droneResponseShare: 55 / 298,
  droneResponseRecoveryShare: 0.15,
  remoteIdShare: 0.2,

  phoneCellShare: 0.06,
  phoneLifetimeDays: 45,
  // Low while detainees are at work or programme (08-17), rising after lock-up, peaking 22:00-02:00.
  phoneBurstsPerHour: [
    6, 4, 2.5, 1, 0.5, 0.5, 0.8, 1, 1, 0.8, 0.8, 1, 1.4, 0.8, 0.8, 1, 1.4, 2, 2.5, 3, 3.5, 4, 5, 6,
  ],
  servicePhoneBurstsPerHour: 3,
  yardBurstsPerHour: { yardTime: 4, otherwise: 0.1 },
  yardHours: [
    [10, 11],
    [14.5, 15.5],
  ],
  gsmDeviceKeyShare: 0.1,

  findsPer100CellsPerMonth: (1760 / 9500 / 4) * 100,
  findMix: [
    ['drugs', 0.6],
    ['phone', 0.3],
    ['charger', 0.03],
    ['sim', 0.03],
    ['data-carrier', 0.01],
    ['weapon', 0.01],
    ['cash', 0.01],
    ['other', 0.01],
  ],
  cellSearchesPerCellMonth: 1,
  spitactieEveryDays: 120,
  intelligenceShare: 0.15,
  intelligenceFindChance: 0.4,

  occupancy: 0.9,
  meanStayDays: 110,
  movesPer100CellsPerDay: 1,
  rosterLateShare: 0.05,

  heartbeatDegradedShare: 0.004,
  heartbeatFaultShare: 0.001,
};

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Mean Gregorian month, for per-month rates. */
export const MONTH_MS = (365.2425 / 12) * DAY_MS;
export const YEAR_MS = 365.2425 * DAY_MS;
