import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { distanceM, indexSite, locate, pointInPolygon, type SiteIndex } from './site-index';
import { parseSiteModel, type LatLon, type Polygon, type SiteModel } from './site-model';
import {
  demoContext,
  demoSiteIndex,
  demoSiteText,
  encode,
  loadDemoSite,
  sampleEvent,
  subjectOf,
  type Body,
} from './test-support';
import { validateSensorMessage } from './validate';

const demo: SiteModel = loadDemoSite();
const index: SiteIndex = demoSiteIndex();
const sortedZones = (i: SiteIndex) => [...i.zones.entries()].sort(([a], [b]) => a.localeCompare(b));

/** The demo document with extra zones appended, parsed again. */
function demoWithZones(extra: (cell: string, wing: string) => Body | undefined): SiteModel {
  const doc = parseYaml(demoSiteText()) as { wings: { id: string; cells: string[] }[]; zones: Body[] };
  const listed = doc.wings.flatMap((w) => w.cells.map((c) => extra(c, w.id))).filter((z) => z !== undefined);
  return parseSiteModel(JSON.stringify({ ...doc, zones: [...doc.zones, ...listed] }), 'demo-listed.json');
}

describe('indexSite', () => {
  it('maps every cell to its wing', () => {
    const cells = demo.wings.flatMap((w) => w.cells.map((c) => [c, w.id] as const));
    expect(index.wingOfCell.size).toBe(cells.length);
    for (const [cell, wing] of cells) expect(index.wingOfCell.get(cell)).toBe(wing);
  });

  it('resolves every cell as a cell zone, beside the listed zones', () => {
    expect(index.zones.size).toBe(index.wingOfCell.size + demo.zones.length);
    expect(index.zones.get('d-07')).toEqual({ id: 'd-07', type: 'cell', wingIds: ['d'], cellId: 'd-07' });
    expect(index.zones.get('yard-2')).toMatchObject({ id: 'yard-2', type: 'yard', wingIds: ['c', 'd'] });
    expect(index.zones.get('b-corridor')).toEqual({ id: 'b-corridor', type: 'corridor', wingIds: ['b'] });
  });

  it('indexes sensors and the allowlist', () => {
    expect([...index.sensors.keys()]).toEqual(demo.sensors.map((s) => s.id));
    expect(index.sensors.get('radar-1')).toMatchObject({ kind: 'drone', heartbeatIntervalS: 10 });
    expect(index.allowlist).toEqual(new Set(['svc-a-1', 'svc-b-1', 'svc-e-1']));
  });

  // The contract lets the file list a cell zone or leave it out, and both mean the same.
  it.each<{ label: string; zone: (cell: string, wing: string) => Body }>([
    {
      label: 'with cellId and wingIds',
      zone: (cell, wing) => ({ id: cell, type: 'cell', wingIds: [wing], cellId: cell }),
    },
    { label: 'with wingIds only', zone: (cell, wing) => ({ id: cell, type: 'cell', wingIds: [wing] }) },
    { label: 'with cellId only', zone: (cell) => ({ id: cell, type: 'cell', wingIds: [], cellId: cell }) },
  ])('gives the same zones when every cell is listed $label', ({ zone }) => {
    expect(sortedZones(indexSite(demoWithZones(zone)))).toEqual(sortedZones(index));
  });

  it('gives the same zones when some cells are listed and others left out', () => {
    const some = demoWithZones((cell, wing) =>
      cell.endsWith('1') ? { id: cell, type: 'cell', wingIds: [wing] } : undefined,
    );
    expect(some.zones.length).toBeGreaterThan(demo.zones.length);
    expect(sortedZones(indexSite(some))).toEqual(sortedZones(index));
  });

  it('accepts and rejects the same events whether cells are listed or left out', () => {
    const listed = indexSite(
      demoWithZones((cell, wing) => ({ id: cell, type: 'cell', wingIds: [wing], cellId: cell })),
    );
    const both = [demoContext(), demoContext({ sites: new Map([['demo', listed]]) })];
    const gsm = sampleEvent('gsm');
    for (const zoneId of ['a-01', 'e-24', 'yard-1', 'a-41', 'f-01']) {
      const body = { ...gsm, zoneId };
      const [omitted, present] = both.map((ctx) => validateSensorMessage(subjectOf(body), encode(body), ctx));
      expect(present).toEqual(omitted);
    }
  });
});

describe('locate', () => {
  it.each<{
    label: string;
    point: LatLon;
    expected: { inAirspace: boolean; wingId?: string; zoneId?: string };
  }>([
    {
      label: 'the middle of yard 1',
      point: [51.6605, 5.28825],
      expected: { inAirspace: true, zoneId: 'yard-1' },
    },
    {
      label: 'a corner area of yard 1',
      point: [51.66001, 5.28701],
      expected: { inAirspace: true, zoneId: 'yard-1' },
    },
    {
      label: 'the middle of yard 2',
      point: [51.6605, 5.2915],
      expected: { inAirspace: true, zoneId: 'yard-2' },
    },
    {
      label: 'above wing A',
      point: [51.662, 5.287],
      expected: { inAirspace: true, wingId: 'a', zoneId: 'perimeter' },
    },
    {
      label: 'above wing B',
      point: [51.662, 5.2895],
      expected: { inAirspace: true, wingId: 'b', zoneId: 'perimeter' },
    },
    {
      label: 'above wing C (AIT)',
      point: [51.66185, 5.2916],
      expected: { inAirspace: true, wingId: 'c', zoneId: 'perimeter' },
    },
    {
      label: 'above wing D (EBI)',
      point: [51.6594, 5.29225],
      expected: { inAirspace: true, wingId: 'd', zoneId: 'perimeter' },
    },
    {
      label: 'above wing E',
      point: [51.6594, 5.2875],
      expected: { inAirspace: true, wingId: 'e', zoneId: 'perimeter' },
    },
    {
      label: 'inside the perimeter, between buildings',
      point: [51.6585, 5.29],
      expected: { inAirspace: true, zoneId: 'perimeter' },
    },
    {
      label: 'in the airspace, outside the perimeter',
      point: [51.6635, 5.2845],
      expected: { inAirspace: true },
    },
    { label: 'just north of the airspace', point: [51.6641, 5.29], expected: { inAirspace: false } },
    { label: 'a town away', point: [51.69, 5.3], expected: { inAirspace: false } },
  ])('places $label', ({ point, expected }) => {
    expect(locate(index, point)).toEqual(expected);
  });

  it('places every point strictly inside a wing footprint in that wing', () => {
    const footprinted = demo.wings.filter(
      (w): w is typeof w & { footprint: Polygon } => w.footprint !== undefined,
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...footprinted),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (wing, u, v) => {
          // The demo footprints are rectangles aligned with the meridians.
          const lats = wing.footprint.map(([lat]) => lat);
          const lons = wing.footprint.map(([, lon]) => lon);
          const lat = Math.min(...lats) + u * (Math.max(...lats) - Math.min(...lats));
          const lon = Math.min(...lons) + v * (Math.max(...lons) - Math.min(...lons));
          expect(locate(index, [lat, lon])).toMatchObject({ inAirspace: true, wingId: wing.id });
        },
      ),
    );
  });
});

describe('pointInPolygon', () => {
  const square: Polygon = [
    [0, 0],
    [0, 10],
    [10, 10],
    [10, 0],
  ];
  // An L: the square without its north-east quarter.
  const ell: Polygon = [
    [0, 0],
    [0, 10],
    [5, 10],
    [5, 5],
    [10, 5],
    [10, 0],
  ];
  it.each<[string, LatLon, Polygon, boolean]>([
    ['the centre of a square', [5, 5], square, true],
    ['near a corner inside', [0.001, 9.999], square, true],
    ['outside, east', [5, 10.001], square, false],
    ['outside, south', [-0.001, 5], square, false],
    ['far away', [50, 50], square, false],
    ['the arm of an L', [2, 8], ell, true],
    ['the foot of an L', [8, 2], ell, true],
    ['the notch of an L', [8, 8], ell, false],
    [
      'inside a triangle',
      [1, 1],
      [
        [0, 0],
        [0, 4],
        [4, 0],
      ],
      true,
    ],
    [
      'beyond the hypotenuse',
      [3, 3],
      [
        [0, 0],
        [0, 4],
        [4, 0],
      ],
      false,
    ],
  ])('%s: %s', (_label, point, polygon, inside) => {
    expect(pointInPolygon(point, polygon)).toBe(inside);
  });

  it('does not depend on the winding of the polygon', () => {
    const reversed = [...ell].reverse();
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 11, noNaN: true }),
        fc.double({ min: -1, max: 11, noNaN: true }),
        (lat, lon) => {
          expect(pointInPolygon([lat, lon], reversed)).toBe(pointInPolygon([lat, lon], ell));
        },
      ),
    );
  });
});

describe('distanceM', () => {
  it.each<[string, LatLon, LatLon, number, number]>([
    ['a point to itself', [51.66, 5.29], [51.66, 5.29], 0, 1e-6],
    ['one degree of latitude', [51, 5.29], [52, 5.29], 111_195.08, 0.01],
    ['one degree of longitude on the equator', [0, 0], [0, 1], 111_195.08, 0.01],
    ['half the globe', [0, 0], [0, 180], Math.PI * 6_371_008.8, 1e-3],
    ['the demo airspace from north to south', [51.664, 5.29], [51.656, 5.29], 889.56, 0.01],
  ])('%s', (_label, a, b, metres, tolerance) => {
    expect(Math.abs(distanceM(a, b) - metres)).toBeLessThanOrEqual(tolerance);
  });

  it('is symmetric and never negative', () => {
    const point = fc.tuple(
      fc.double({ min: -90, max: 90, noNaN: true }),
      fc.double({ min: -180, max: 180, noNaN: true }),
    );
    fc.assert(
      fc.property(point, point, (a, b) => {
        const d = distanceM(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.PI * 6_371_008.8 + 1e-6);
        expect(Math.abs(d - distanceM(b, a))).toBeLessThan(1e-6);
      }),
    );
  });
});
