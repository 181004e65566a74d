import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REGIMES, SiteModelError, ZONE_TYPES, parseSiteModel, type SiteModel } from './site-model';
import { demoSiteText, loadDemoSite, withField, type Body } from './test-support';

/** The example of CONTRACT.md section 2, as a plain document. */
const example = (): Body => ({
  id: 'demo',
  name: 'PI Demo',
  timezone: 'Europe/Amsterdam',
  airspace: [
    [51.664, 5.284],
    [51.664, 5.296],
    [51.656, 5.296],
    [51.656, 5.284],
  ],
  wings: [
    {
      id: 'a',
      name: 'Afdeling A',
      regime: 'regular',
      footprint: [
        [51.6615, 5.287],
        [51.6615, 5.289],
        [51.6625, 5.289],
        [51.6625, 5.287],
      ],
      cells: ['a-01', 'a-02'],
    },
  ],
  zones: [
    { id: 'a-corridor', type: 'corridor', wingIds: ['a'] },
    {
      id: 'yard-1',
      type: 'yard',
      wingIds: ['a'],
      polygon: [
        [51.6605, 5.289],
        [51.6605, 5.291],
        [51.6613, 5.291],
        [51.6613, 5.289],
      ],
    },
  ],
  sensors: [
    { id: 'gsm-a-1', kind: 'gsm', zoneIds: ['a-01', 'a-02', 'a-corridor'], heartbeatIntervalS: 30 },
    { id: 'radar-1', kind: 'drone', zoneIds: [], heartbeatIntervalS: 10 },
  ],
  allowlist: { deviceKeys: [] },
});

/** The example with a second wing, so cells can be misplaced between wings. */
const twoWings = (): Body => {
  const site = example();
  (site.wings as Body[]).push({ id: 'b', name: 'Afdeling B', regime: 'ebi', cells: ['b-01', 'b-02'] });
  return site;
};

const withZone = (site: Body, zone: Body): Body => ({ ...site, zones: [...(site.zones as Body[]), zone] });

/** The problems parseSiteModel reports for a document, or [] when it parses. */
function problemsOf(doc: unknown, source = 'sites/test.yaml'): string[] {
  try {
    parseSiteModel(JSON.stringify(doc), source);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(SiteModelError);
    expect((err as SiteModelError).message).toContain(`invalid site model ${source}:`);
    return (err as SiteModelError).problems;
  }
}

describe('the demo site', () => {
  const demo: SiteModel = loadDemoSite();
  const cells = demo.wings.flatMap((w) => w.cells);

  it('has at least four wings, one ait and one ebi, all with footprints', () => {
    expect(demo.id).toBe('demo');
    expect(demo.timezone).toBe('Europe/Amsterdam');
    expect(demo.wings.length).toBeGreaterThanOrEqual(4);
    expect(demo.wings.filter((w) => w.regime === 'ait')).toHaveLength(1);
    expect(demo.wings.filter((w) => w.regime === 'ebi')).toHaveLength(1);
    for (const wing of demo.wings) expect(wing.footprint?.length).toBeGreaterThanOrEqual(3);
  });

  it('has at least 120 unique cells', () => {
    expect(cells.length).toBeGreaterThanOrEqual(120);
    expect(new Set(cells).size).toBe(cells.length);
  });

  it('has two yards with polygons shared by the wings, and an airspace', () => {
    const yards = demo.zones.filter((z) => z.type === 'yard');
    expect(yards).toHaveLength(2);
    for (const yard of yards) expect(yard.polygon?.length).toBeGreaterThanOrEqual(3);
    expect(new Set(yards.flatMap((y) => y.wingIds))).toEqual(new Set(demo.wings.map((w) => w.id)));
    expect(demo.airspace.length).toBeGreaterThanOrEqual(3);
  });

  it('has drone and gsm sensors, a search and a roster gateway, and an allowlist', () => {
    const kinds = demo.sensors.map((s) => s.kind);
    for (const kind of ['drone', 'gsm', 'search', 'roster'] as const) expect(kinds).toContain(kind);
    expect(demo.allowlist.deviceKeys.length).toBeGreaterThan(0);
  });

  it('covers every cell with a gsm sensor', () => {
    const covered = new Set(demo.sensors.filter((s) => s.kind === 'gsm').flatMap((s) => s.zoneIds));
    expect(cells.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('parses the same from its JSON form', () => {
    expect(parseSiteModel(JSON.stringify(parseYaml(demoSiteText())), 'demo.json')).toEqual(demo);
  });
});

describe('site model rules', () => {
  it('accepts the example of the contract', () => {
    expect(problemsOf(example())).toEqual([]);
  });

  it('applies defaults for absent zones, sensors and allowlist', () => {
    const { zones: _z, sensors: _s, allowlist: _a, ...bare } = example();
    const site = parseSiteModel(JSON.stringify(bare), 'bare.json');
    expect(site).toMatchObject({ zones: [], sensors: [], allowlist: { deviceKeys: [] } });
    expect(parseSiteModel(JSON.stringify({ ...bare, allowlist: {} }), 'x').allowlist).toEqual({
      deviceKeys: [],
    });
  });

  it.each([...REGIMES])('accepts the %s regime', (regime) => {
    expect(problemsOf(withField(example(), ['wings', 0, 'regime'], regime))).toEqual([]);
  });

  it.each(ZONE_TYPES.filter((t) => t !== 'cell'))('accepts a zone of type %s', (type) => {
    expect(problemsOf(withZone(example(), { id: 'z-1', type, wingIds: ['a'] }))).toEqual([]);
  });

  it.each(['drone', 'gsm', 'search', 'roster'])('accepts a sensor of kind %s', (kind) => {
    expect(problemsOf(withField(example(), ['sensors', 1, 'kind'], kind))).toEqual([]);
  });

  it('accepts a zone with no polygon and a wing with no footprint', () => {
    const doc = withField(
      withField(example(), ['zones', 1, 'polygon'], undefined),
      ['wings', 0, 'footprint'],
      undefined,
    );
    expect(problemsOf(doc)).toEqual([]);
  });

  it.each([['Europe/Amsterdam'], ['UTC'], ['America/Argentina/Buenos_Aires']])(
    'accepts the time zone %s',
    (timezone) => {
      expect(problemsOf({ ...example(), timezone })).toEqual([]);
    },
  );

  it('accepts cell ids with dots and capitals, which never appear in subjects', () => {
    expect(problemsOf(withField(example(), ['wings', 0, 'cells'], ['B1.23', 'B1_24']))).toEqual([
      'sensors[0].zoneIds[0]: unknown zone or cell "a-01"',
      'sensors[0].zoneIds[1]: unknown zone or cell "a-02"',
    ]);
  });

  // Each bad document and the problem it must report, naming the bad path.
  it.each<{ label: string; doc: Body; problem: string }>([
    {
      label: 'a cell in two wings',
      doc: withField(twoWings(), ['wings', 1, 'cells', 1], 'a-02'),
      problem: 'wings[1].cells[1]: duplicate cell id "a-02"',
    },
    {
      label: 'a cell twice in one wing',
      doc: withField(example(), ['wings', 0, 'cells'], ['a-01', 'a-02', 'a-01']),
      problem: 'wings[0].cells[2]: duplicate cell id "a-01"',
    },
    {
      label: 'an unknown wing in a zone',
      doc: withField(example(), ['zones', 1, 'wingIds'], ['a', 'z']),
      problem: 'zones[1].wingIds[1]: unknown wing "z"',
    },
    {
      label: 'an unknown zone of a sensor',
      doc: withField(example(), ['sensors', 0, 'zoneIds', 2], 'a-hall'),
      problem: 'sensors[0].zoneIds[2]: unknown zone or cell "a-hall"',
    },
    {
      label: 'a misspelt time zone',
      doc: { ...example(), timezone: 'Europe/Amsterdamm' },
      problem: 'timezone: must be an IANA time zone such as Europe/Amsterdam',
    },
    {
      label: 'a made-up time zone',
      doc: { ...example(), timezone: 'Mars/Olympus_Mons' },
      problem: 'timezone: must be an IANA time zone such as Europe/Amsterdam',
    },
    {
      label: 'a cell zone listed with the wrong wing',
      doc: withZone(twoWings(), { id: 'a-01', type: 'cell', wingIds: ['b'], cellId: 'a-01' }),
      problem: 'zones[2].wingIds: cell "a-01" belongs to wing "a" only',
    },
    {
      label: 'a cell zone listed with its wing and another',
      doc: withZone(twoWings(), { id: 'b-02', type: 'cell', wingIds: ['b', 'a'] }),
      problem: 'zones[2].wingIds: cell "b-02" belongs to wing "b" only',
    },
    {
      label: 'a cell zone whose cellId is another cell',
      doc: withZone(example(), { id: 'a-01', type: 'cell', wingIds: ['a'], cellId: 'a-02' }),
      problem: 'zones[2].cellId: a cell zone has cellId equal to its id',
    },
    {
      label: 'a cell zone that is no cell of any wing',
      doc: withZone(example(), { id: 'a-03', type: 'cell', wingIds: ['a'] }),
      problem: 'zones[2].id: "a-03" is not a cell of any wing',
    },
    {
      label: 'a cell id listed as a corridor',
      doc: withZone(example(), { id: 'a-02', type: 'corridor', wingIds: ['a'] }),
      problem: 'zones[2].id: "a-02" is a cell id; its type must be cell',
    },
    {
      label: 'a duplicate wing id',
      doc: withField(twoWings(), ['wings', 1, 'id'], 'a'),
      problem: 'wings[1].id: duplicate wing id "a"',
    },
    {
      label: 'a duplicate zone id',
      doc: withField(example(), ['zones', 1, 'id'], 'a-corridor'),
      problem: 'zones[1].id: duplicate zone id "a-corridor"',
    },
    {
      label: 'a duplicate sensor id',
      doc: withField(example(), ['sensors', 1, 'id'], 'gsm-a-1'),
      problem: 'sensors[1].id: duplicate sensor id "gsm-a-1"',
    },
    {
      label: 'a site id that cannot be a subject token',
      doc: { ...example(), id: 'PI Demo' },
      problem: 'id: must match [a-z0-9][a-z0-9-]{0,62}',
    },
    {
      label: 'a wing id that cannot be a subject token',
      doc: withField(example(), ['wings', 0, 'id'], 'A'),
      problem: 'wings[0].id: must match [a-z0-9][a-z0-9-]{0,62}',
    },
    {
      label: 'a cell id with a space',
      doc: withField(example(), ['wings', 0, 'cells', 0], 'a 01'),
      problem: 'wings[0].cells[0]: must be 1-64 of [A-Za-z0-9._-]',
    },
    {
      label: 'an airspace of two points',
      doc: {
        ...example(),
        airspace: [
          [51.664, 5.284],
          [51.656, 5.296],
        ],
      },
      problem: 'airspace: a polygon needs at least 3 points',
    },
    {
      label: 'a footprint latitude beyond 90',
      doc: withField(example(), ['wings', 0, 'footprint', 2, 0], 91),
      problem: 'wings[0].footprint[2][0]: Too big: expected number to be <=90',
    },
  ])('reports $label at its path', ({ doc, problem }) => {
    expect(problemsOf(doc)).toContain(problem);
  });

  it.each<{ label: string; doc: unknown; path: string }>([
    {
      label: 'an unknown regime',
      doc: withField(example(), ['wings', 0, 'regime'], 'supermax'),
      path: 'wings[0].regime',
    },
    {
      label: 'an unknown zone type',
      doc: withField(example(), ['zones', 0, 'type'], 'hall'),
      path: 'zones[0].type',
    },
    {
      label: 'a heartbeat sensor kind',
      doc: withField(example(), ['sensors', 1, 'kind'], 'heartbeat'),
      path: 'sensors[1].kind',
    },
    {
      label: 'a heartbeat interval of 0',
      doc: withField(example(), ['sensors', 1, 'heartbeatIntervalS'], 0),
      path: 'sensors[1].heartbeatIntervalS',
    },
    {
      label: 'a heartbeat interval over an hour',
      doc: withField(example(), ['sensors', 1, 'heartbeatIntervalS'], 3601),
      path: 'sensors[1].heartbeatIntervalS',
    },
    { label: 'no wings', doc: { ...example(), wings: [] }, path: 'wings' },
    { label: 'a missing name', doc: withField(example(), ['name'], undefined), path: 'name' },
    { label: 'a missing timezone', doc: withField(example(), ['timezone'], undefined), path: 'timezone' },
    { label: 'a missing id', doc: withField(example(), ['id'], undefined), path: 'id' },
    { label: 'a missing airspace', doc: withField(example(), ['airspace'], undefined), path: 'airspace' },
    {
      label: 'a wing without cells',
      doc: withField(example(), ['wings', 0, 'cells'], undefined),
      path: 'wings[0].cells',
    },
    {
      label: 'a zone without wingIds',
      doc: withField(example(), ['zones', 0, 'wingIds'], undefined),
      path: 'zones[0].wingIds',
    },
    {
      label: 'a sensor without zoneIds',
      doc: withField(example(), ['sensors', 0, 'zoneIds'], undefined),
      path: 'sensors[0].zoneIds',
    },
    {
      label: 'a sensor without heartbeatIntervalS',
      doc: withField(example(), ['sensors', 0, 'heartbeatIntervalS'], undefined),
      path: 'sensors[0].heartbeatIntervalS',
    },
    {
      label: 'a polygon point that is not [lat, lon]',
      doc: withField(example(), ['zones', 1, 'polygon', 0], [51.66, 5.29, 10]),
      path: 'zones[1].polygon[0]',
    },
    {
      label: 'an empty allowlist key',
      doc: { ...example(), allowlist: { deviceKeys: [''] } },
      path: 'allowlist.deviceKeys[0]',
    },
    { label: 'a document that is a list', doc: [example()], path: '(top level)' },
  ])('reports $label at $path', ({ doc, path }) => {
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.slice(0, p.indexOf(': ')))).toContain(path);
  });

  it('reports every problem at once', () => {
    let doc = withField(example(), ['zones', 0, 'wingIds'], ['q']);
    doc = withField(doc, ['sensors', 0, 'zoneIds', 0], 'nope');
    doc = { ...doc, timezone: 'Nowhere/Land' };
    expect(problemsOf(doc)).toEqual([
      'timezone: must be an IANA time zone such as Europe/Amsterdam',
      'zones[0].wingIds[0]: unknown wing "q"',
      'sensors[0].zoneIds[0]: unknown zone or cell "nope"',
    ]);
  });

  it('names the source and the path in the demo site, as its doc comment promises', () => {
    const doc = parseYaml(demoSiteText()) as Body;
    const problems = problemsOf(withField(doc, ['wings', 2, 'cells', 5], 'b-05'), 'sites/demo.yaml');
    expect(problems).toContain('wings[2].cells[5]: duplicate cell id "b-05"');
  });

  it('reports text that is neither YAML nor JSON', () => {
    expect(() => parseSiteModel('id: demo\nwings: [a, b\n', 'broken.yaml')).toThrowError(
      /invalid site model broken\.yaml:\n {2}not valid YAML or JSON/,
    );
  });

  it('reads YAML and JSON alike', () => {
    expect(parseSiteModel(JSON.stringify(example()), 'a.json')).toEqual(
      parseSiteModel(
        `id: demo\nname: PI Demo\ntimezone: Europe/Amsterdam\n` +
          `airspace: [[51.664, 5.284], [51.664, 5.296], [51.656, 5.296], [51.656, 5.284]]\n` +
          `wings:\n  - { id: a, name: Afdeling A, regime: regular, ` +
          `footprint: [[51.6615, 5.287], [51.6615, 5.289], [51.6625, 5.289], [51.6625, 5.287]], cells: [a-01, a-02] }\n` +
          `zones:\n  - { id: a-corridor, type: corridor, wingIds: [a] }\n` +
          `  - { id: yard-1, type: yard, wingIds: [a], ` +
          `polygon: [[51.6605, 5.289], [51.6605, 5.291], [51.6613, 5.291], [51.6613, 5.289]] }\n` +
          `sensors:\n  - { id: gsm-a-1, kind: gsm, zoneIds: [a-01, a-02, a-corridor], heartbeatIntervalS: 30 }\n` +
          `  - { id: radar-1, kind: drone, zoneIds: [], heartbeatIntervalS: 10 }\n` +
          `allowlist: { deviceKeys: [] }\n`,
        'a.yaml',
      ),
    );
  });
});

describe('site model properties', () => {
  /**
   * A valid site: up to four wings of unique cells, zones of the other types over those wings, sensors over
   * cells and zones, and some cells also listed as cell zones, with cellId its id and wingIds its wing.
   */
  const siteArb = fc
    .record({
      wingCount: fc.integer({ min: 1, max: 4 }),
      cells: fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$/), {
        minLength: 1,
        maxLength: 24,
      }),
      zoneTypes: fc.array(fc.constantFrom(...ZONE_TYPES.filter((t) => t !== 'cell')), { maxLength: 5 }),
      listCell: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
      sensorPicks: fc.array(fc.array(fc.nat(), { maxLength: 4 }), { maxLength: 4 }),
    })
    .map(({ wingCount, cells, zoneTypes, listCell, sensorPicks }) => {
      const wingIds = Array.from({ length: wingCount }, (_, i) => `w${i}`);
      const wingOf = (i: number) => wingIds[i % wingCount]!;
      // Cell ids start with c and zone ids with z, so the two never meet.
      const cellIds = cells.map((c) => `c${c}`);
      const zones: Body[] = zoneTypes.map((type, i) => ({ id: `z${i}`, type, wingIds: [wingOf(i)] }));
      cellIds.forEach((id, i) => {
        if (listCell[i]) zones.push({ id, type: 'cell', wingIds: [wingOf(i)], cellId: id });
      });
      const places = [...cellIds, ...zoneTypes.map((_, i) => `z${i}`)];
      return {
        ...example(),
        wings: wingIds.map((id, w) => ({
          id,
          name: `Wing ${id}`,
          regime: REGIMES[w % REGIMES.length],
          cells: cellIds.filter((_, i) => i % wingCount === w),
        })),
        zones,
        sensors: sensorPicks.map((picks, s) => ({
          id: `s-${s}`,
          kind: 'gsm',
          zoneIds: [...new Set(picks.map((p) => places[p % places.length]!))],
          heartbeatIntervalS: 30,
        })),
      } as Body;
    });

  it('accepts every generated valid site, whichever cells it also lists as zones', () => {
    fc.assert(
      fc.property(siteArb, (doc) => {
        expect(problemsOf(doc)).toEqual([]);
      }),
    );
  });

  it('reports a cell placed in a second wing at exactly that path', () => {
    fc.assert(
      fc.property(siteArb, fc.nat(), (doc, pick) => {
        const wings = doc.wings as { cells: string[] }[];
        const all = wings.flatMap((w) => w.cells);
        const cell = all[pick % all.length]!;
        const into = wings.length - 1;
        const bad = withField(doc, ['wings', into, 'cells', wings[into]!.cells.length], cell);
        expect(problemsOf(bad)).toContain(
          `wings[${into}].cells[${wings[into]!.cells.length}]: duplicate cell id "${cell}"`,
        );
      }),
    );
  });

  it('reports a sensor zone that is neither a zone nor a cell at exactly that path', () => {
    fc.assert(
      fc.property(siteArb, (doc) => {
        const bad = withField(
          doc,
          ['sensors'],
          [{ id: 'x', kind: 'drone', zoneIds: ['no-such-place'], heartbeatIntervalS: 10 }],
        );
        expect(problemsOf(bad)).toEqual(['sensors[0].zoneIds[0]: unknown zone or cell "no-such-place"']);
      }),
    );
  });
});
