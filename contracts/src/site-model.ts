import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TOKEN_PATTERN } from './sensor-event';

const Token = z.string().regex(TOKEN_PATTERN, 'must match [a-z0-9][a-z0-9-]{0,62}');
/** Cells and zones never appear in subjects, so they may use dots and capitals (e.g. "B1.23"). */
const PlaceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 of [A-Za-z0-9._-]');

export const LatLon = z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]);
export type LatLon = z.infer<typeof LatLon>;
export const Polygon = z.array(LatLon).min(3, 'a polygon needs at least 3 points');
export type Polygon = z.infer<typeof Polygon>;

export const REGIMES = ['regular', 'hvb', 'ait', 'ebi', 'ta', 'bba'] as const;
export const Wing = z.object({
  id: Token,
  name: z.string().min(1),
  regime: z.enum(REGIMES),
  footprint: Polygon.optional(),
  cells: z.array(PlaceId),
});
export type Wing = z.infer<typeof Wing>;

export const ZONE_TYPES = ['cell', 'corridor', 'yard', 'common', 'perimeter'] as const;
export const Zone = z.object({
  id: PlaceId,
  type: z.enum(ZONE_TYPES),
  wingIds: z.array(Token),
  cellId: PlaceId.optional(),
  polygon: Polygon.optional(),
});
export type Zone = z.infer<typeof Zone>;

export const SiteSensor = z.object({
  id: Token,
  kind: z.enum(['drone', 'gsm', 'search', 'roster']),
  zoneIds: z.array(PlaceId),
  heartbeatIntervalS: z.number().min(1).max(3600),
});
export type SiteSensor = z.infer<typeof SiteSensor>;

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reports each duplicate in `ids` at its own index under `path`. */
function checkUnique(ctx: z.RefinementCtx, ids: string[], path: (i: number) => PropertyKey[], what: string) {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} "${id}"` });
    seen.add(id);
  });
}

export const SiteModel = z
  .object({
    id: Token,
    name: z.string().min(1),
    timezone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as Europe/Amsterdam'),
    airspace: Polygon,
    wings: z.array(Wing).min(1),
    zones: z.array(Zone).default([]),
    sensors: z.array(SiteSensor).default([]),
    allowlist: z.object({ deviceKeys: z.array(z.string().min(1)).default([]) }).default({ deviceKeys: [] }),
  })
  .superRefine((site, ctx) => {
    checkUnique(
      ctx,
      site.wings.map((w) => w.id),
      (i) => ['wings', i, 'id'],
      'wing id',
    );
    checkUnique(
      ctx,
      site.sensors.map((s) => s.id),
      (i) => ['sensors', i, 'id'],
      'sensor id',
    );
    checkUnique(
      ctx,
      site.zones.map((z) => z.id),
      (i) => ['zones', i, 'id'],
      'zone id',
    );

    const wingOfCell = new Map<string, string>();
    site.wings.forEach((wing, w) =>
      wing.cells.forEach((cell, c) => {
        if (wingOfCell.has(cell)) {
          ctx.addIssue({
            code: 'custom',
            path: ['wings', w, 'cells', c],
            message: `duplicate cell id "${cell}"`,
          });
        }
        wingOfCell.set(cell, wing.id);
      }),
    );
    const wingIds = new Set(site.wings.map((w) => w.id));
    const zoneIds = new Set([...wingOfCell.keys(), ...site.zones.map((z) => z.id)]);

    site.zones.forEach((zone, z) => {
      zone.wingIds.forEach((wingId, w) => {
        if (!wingIds.has(wingId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['zones', z, 'wingIds', w],
            message: `unknown wing "${wingId}"`,
          });
        }
      });
      const cellWing = wingOfCell.get(zone.id);
      if (zone.type === 'cell') {
        if (cellWing === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['zones', z, 'id'],
            message: `"${zone.id}" is not a cell of any wing`,
          });
        } else if (zone.cellId !== undefined && zone.cellId !== zone.id) {
          ctx.addIssue({
            code: 'custom',
            path: ['zones', z, 'cellId'],
            message: 'a cell zone has cellId equal to its id',
          });
        } else if (zone.wingIds.length > 0 && (zone.wingIds.length !== 1 || zone.wingIds[0] !== cellWing)) {
          ctx.addIssue({
            code: 'custom',
            path: ['zones', z, 'wingIds'],
            message: `cell "${zone.id}" belongs to wing "${cellWing}" only`,
          });
        }
      } else if (cellWing !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['zones', z, 'id'],
          message: `"${zone.id}" is a cell id; its type must be cell`,
        });
      }
    });

    site.sensors.forEach((sensor, s) =>
      sensor.zoneIds.forEach((zoneId, z) => {
        if (!zoneIds.has(zoneId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sensors', s, 'zoneIds', z],
            message: `unknown zone or cell "${zoneId}"`,
          });
        }
      }),
    );
  });
export type SiteModel = z.infer<typeof SiteModel>;

export class SiteModelError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid site model ${source}:\n  ${problems.join('\n  ')}`);
    this.name = 'SiteModelError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/**
 * Parses a site model from YAML or JSON text (JSON is YAML). Errors name the source and the bad path,
 * e.g. `sites/demo.yaml: wings[2].cells[5]: duplicate cell id "b-05"`.
 */
export function parseSiteModel(text: string, source: string): SiteModel {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new SiteModelError(source, [`not valid YAML or JSON: ${(err as Error).message}`]);
  }
  const parsed = SiteModel.safeParse(doc);
  if (!parsed.success) {
    throw new SiteModelError(
      source,
      parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(top level)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
