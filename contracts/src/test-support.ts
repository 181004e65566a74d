// Fixtures for the contracts tests only: index.ts does not export this file, so the package stays free of I/O.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { DEMO_SITE_URL } from './demo-site';
import type { SensorEventKind } from './sensor-event';
import { indexSite, type SiteIndex } from './site-index';
import { parseSiteModel, type SiteModel } from './site-model';
import { sensorSubject } from './subjects';
import type { ValidationContext } from './validate';

/** The receiving clock of every test: tests never read Date.now(). */
export const NOW = Date.parse('2026-03-01T12:00:00.000Z');
export const NOW_ISO = new Date(NOW).toISOString();

export type Body = Record<string, unknown>;

export const demoSiteText = (): string => readFileSync(DEMO_SITE_URL, 'utf8');
export const loadDemoSite = (): SiteModel => parseSiteModel(demoSiteText(), 'sites/demo.yaml');

let demoIndex: SiteIndex | undefined;
export function demoSiteIndex(): SiteIndex {
  demoIndex ??= indexSite(loadDemoSite());
  return demoIndex;
}

export function demoContext(overrides: Partial<ValidationContext> = {}): ValidationContext {
  return { sites: new Map([['demo', demoSiteIndex()]]), now: NOW, ...overrides };
}

/** One valid event of each kind from a sensor the demo site lists, observed at NOW. */
export function sampleEvent(kind: SensorEventKind): Body {
  const envelope = {
    v: 1,
    eventId: `01HZX${kind.toUpperCase()}0000000000000`,
    siteId: 'demo',
    observedAt: NOW_ISO,
  };
  switch (kind) {
    case 'drone':
      return {
        ...envelope,
        kind,
        sensorId: 'rf-1',
        trackId: 'trk-42',
        phase: 'update',
        detection: 'rf',
        classification: { model: 'DJI Mini 4 Pro', protocol: 'OcuSync 4', confidence: 0.92 },
        position: { lat: 51.6605, lon: 5.288, altM: 40, accuracyM: 15 },
        bearingDeg: 120.5,
        groundSpeedMps: 8.2,
        climbMps: -0.4,
        headingDeg: 275,
        remoteId: { uasId: '1581F5BKD229S00B00E7', operatorLat: 51.65, operatorLon: 5.27 },
        rssiDbm: -71,
        freqMHz: 2437,
      };
    case 'gsm':
      return {
        ...envelope,
        kind,
        sensorId: 'gsm-a-1',
        zoneId: 'a-03',
        tech: '4g',
        band: 'B20',
        rssiDbm: -63,
        durationS: 42,
        activity: 'call',
        deviceKey: 'dk-7f3a',
      };
    case 'search':
      return {
        ...envelope,
        kind,
        sensorId: 'search-gw',
        searchId: 'srch-2026-0301-01',
        type: 'cell-inspection',
        trigger: 'sensor-alert',
        alertIds: ['alert-1'],
        cellIds: ['b-05', 'b-06'],
        startedAt: '2026-03-01T11:00:00.000Z',
        endedAt: '2026-03-01T11:20:00.000Z',
        occupants: ['det-0001'],
        findings: [
          { category: 'phone', qty: 1, cellId: 'b-05', attributedTo: 'det-0001', deviceKey: 'dk-7f3a' },
        ],
      };
    case 'roster':
      return {
        ...envelope,
        kind,
        sensorId: 'roster-gw',
        detaineeId: 'det-0001',
        action: 'move',
        cellId: 'c-03',
        effectiveAt: '2026-03-01T08:00:00+01:00',
      };
    case 'heartbeat':
      return {
        ...envelope,
        kind,
        sensorId: 'radar-1',
        status: 'ok',
        intervalS: 10,
        detail: 'all channels up',
      };
  }
}

export function subjectOf(body: Body): string {
  return sensorSubject({
    siteId: body.siteId as string,
    kind: body.kind as SensorEventKind,
    sensorId: body.sensorId as string,
  });
}

const encoder = new TextEncoder();
export const encode = (body: unknown): Uint8Array => encoder.encode(JSON.stringify(body));
export const bytes = (text: string): Uint8Array => encoder.encode(text);

/** A copy of `body` with the value at `path` replaced, or removed when `value` is undefined. */
export function withField(body: Body, path: readonly (string | number)[], value: unknown): Body {
  const copy = structuredClone(body);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

type Path = readonly (string | number)[];

/** One row of a rule table: the field, the value put there (undefined removes it) and the expected outcome. */
export interface Row {
  label: string;
  path: Path;
  value: unknown;
  ok: boolean;
}

const show = (value: unknown): string =>
  value === undefined
    ? 'missing'
    : typeof value === 'string' && value.length > 24
      ? `${value.length} chars of "${value.slice(0, 6)}..."`
      : JSON.stringify(value);

/** Rows for a field: each `ok` value is accepted and each `bad` value rejected with an issue at the field. */
export function rows(path: Path, ok: readonly unknown[], bad: readonly unknown[]): Row[] {
  const label = (value: unknown, accepted: boolean) =>
    `${path.join('.')} = ${show(value)} is ${accepted ? 'accepted' : 'rejected'}`;
  return [
    ...ok.map((value) => ({ label: label(value, true), path, value, ok: true })),
    ...bad.map((value) => ({ label: label(value, false), path, value, ok: false })),
  ];
}

/** [label, row] pairs: `%s` prints the whole label, where `$label` would quote and truncate it. */
export const named = (table: Row[]) => table.map((row) => [row.label, row] as const);

/** A schema's verdict on a row's body: accepted, or rejected with an issue at the row's field. */
export function expectVerdict(
  result: { success: boolean; error?: { issues: { path: readonly PropertyKey[] }[] } },
  { path, ok }: Row,
): void {
  if (ok) {
    expect(result.error?.issues).toBeUndefined();
  } else {
    expect(result.success).toBe(false);
    // The issue names the field itself or a field inside it (e.g. a missing classification.confidence).
    const field = path.join('.');
    const issuePaths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(issuePaths.filter((p) => p === field || p.startsWith(`${field}.`))).not.toEqual([]);
  }
}
