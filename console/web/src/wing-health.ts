// The wing board's model: every wing of every site with its worst open alert and its sensors' health.
import { compareAlerts } from './board-logic';
import type { AlertEntry, SiteModel } from './types';

/** The detectors' rule for a sensor whose heartbeats stopped. */
export const SENSOR_OFFLINE_RULE = 'sensor-offline';

export interface SensorHealth {
  sensorId: string;
  kind: string;
  offline: boolean;
}

export interface WingStatus {
  siteId: string;
  wingId: string;
  name: string;
  regime: string;
  /** The worst open or acknowledged alert of the wing, if any. */
  worst?: AlertEntry;
  active: number;
  sensors: SensorHealth[];
}

export interface SiteStatus {
  siteId: string;
  name: string;
  wings: WingStatus[];
  /** Sensors covering no wing (drone radars around the site, perimeter sensors). */
  siteSensors: SensorHealth[];
}

export function wingBoard(sites: readonly SiteModel[], entries: Iterable<AlertEntry>): SiteStatus[] {
  const offline = new Set<string>();
  const active = new Map<string, AlertEntry[]>();
  for (const e of entries) {
    const a = e.alert;
    if (a.status === 'resolved') continue;
    if (a.rule === SENSOR_OFFLINE_RULE) for (const s of a.sensorIds) offline.add(`${a.siteId}/${s}`);
    if (a.wingId) {
      const key = `${a.siteId}/${a.wingId}`;
      const list = active.get(key);
      if (list) list.push(e);
      else active.set(key, [e]);
    }
  }
  return sites.map((site) => {
    // Which wing each zone (and cell) belongs to, to place the sensors that watch them.
    const wingsOfZone = new Map<string, string[]>();
    for (const w of site.wings) for (const c of w.cells) wingsOfZone.set(c, [w.id]);
    for (const z of site.zones) if (z.wingIds.length) wingsOfZone.set(z.id, z.wingIds);
    const sensorsOfWing = new Map<string, SensorHealth[]>();
    const siteSensors: SensorHealth[] = [];
    for (const s of site.sensors) {
      const health = { sensorId: s.id, kind: s.kind, offline: offline.has(`${site.id}/${s.id}`) };
      const wings = new Set(s.zoneIds.flatMap((z) => wingsOfZone.get(z) ?? []));
      if (wings.size === 0) siteSensors.push(health);
      for (const w of wings) {
        const list = sensorsOfWing.get(w);
        if (list) list.push(health);
        else sensorsOfWing.set(w, [health]);
      }
    }
    return {
      siteId: site.id,
      name: site.name,
      siteSensors,
      wings: site.wings.map((w) => {
        const alerts = active.get(`${site.id}/${w.id}`) ?? [];
        const worst = alerts.reduce<AlertEntry | undefined>(
          (best, e) => (!best || compareBySeverity(e, best) < 0 ? e : best),
          undefined,
        );
        return {
          siteId: site.id,
          wingId: w.id,
          name: w.name,
          regime: w.regime,
          worst,
          active: alerts.length,
          sensors: sensorsOfWing.get(w.id) ?? [],
        };
      }),
    };
  });
}

/** Worst first: severity before status, unlike the board (an acknowledged critical outranks an open low). */
function compareBySeverity(x: AlertEntry, y: AlertEntry): number {
  const rank = ['critical', 'high', 'medium', 'low', 'info'];
  return rank.indexOf(x.alert.severity) - rank.indexOf(y.alert.severity) || compareAlerts(x, y);
}
