// What the site plan draws, in SVG units: airspace, wing footprints (cells laid out inside), zones with
// polygons, drone tracks; the alert's wing, zones and cells marked.
import { droneTracks } from './evidence-fields';
import { boundingBox, cellGrid, fitProjection, sitePoints, svgPoints, type Box } from './geometry';
import type { Alert, SensorEvent, SiteModel } from './types';

export interface PlanCell extends Box {
  cellId: string;
  highlight: boolean;
}

export interface PlanModel {
  width: number;
  height: number;
  airspace: string;
  wings: {
    wingId: string;
    name: string;
    points: string;
    label: { x: number; y: number };
    highlight: boolean;
    cells: PlanCell[];
  }[];
  zones: { zoneId: string; type: string; points: string; highlight: boolean }[];
  tracks: { trackId: string; points: string; dots: { x: number; y: number }[] }[];
}

export function planModel(site: SiteModel, alert: Alert, events: readonly SensorEvent[]): PlanModel {
  const tracks = droneTracks(events);
  const { width, height, project } = fitProjection(
    sitePoints(
      site,
      tracks.flatMap((t) => t.points),
    ),
  );
  const alertCells = new Set(alert.cellIds);
  const alertZones = new Set(events.flatMap((e) => (e.kind === 'gsm' ? [e.zoneId] : [])));
  const cellPolygons = new Set(site.zones.filter((z) => z.type === 'cell' && z.polygon).map((z) => z.id));
  return {
    width,
    height,
    airspace: svgPoints(site.airspace, project),
    wings: site.wings.flatMap((w) => {
      if (!w.footprint) return [];
      const corners = w.footprint.map(project);
      const box = boundingBox(corners);
      const hasAlertCell = w.cells.some((c) => alertCells.has(c));
      // Cells are drawn schematically only where the alert names one and the model draws none.
      const schematic = hasAlertCell ? w.cells.filter((c) => !cellPolygons.has(c)) : [];
      const boxes = cellGrid(
        { x: box.x + 2, y: box.y + 2, width: box.width - 4, height: box.height - 4 },
        schematic.length,
      );
      return [
        {
          wingId: w.id,
          name: w.name,
          points: svgPoints(w.footprint, project),
          label: { x: box.x + box.width / 2, y: box.y - 4 },
          highlight: w.id === alert.wingId || hasAlertCell,
          cells: schematic.map((cellId, i) => ({ cellId, highlight: alertCells.has(cellId), ...boxes[i]! })),
        },
      ];
    }),
    zones: site.zones.flatMap((z) =>
      z.polygon
        ? [
            {
              zoneId: z.id,
              type: z.type,
              points: svgPoints(z.polygon, project),
              highlight: alertCells.has(z.id) || alertZones.has(z.id),
            },
          ]
        : [],
    ),
    tracks: tracks.map((t) => ({
      trackId: t.trackId,
      points: svgPoints(t.points, project),
      dots: t.points.map(project),
    })),
  };
}
