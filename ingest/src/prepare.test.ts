import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEMO_SITE_URL,
  indexSite,
  parseSiteModel,
  sensorSubject,
  type SensorEventInput,
} from '@wachtpost/contracts';
import { prepareBatch, type RawMessage } from './prepare';
import { copyText } from './writer';

const demo = indexSite(parseSiteModel(readFileSync(DEMO_SITE_URL, 'utf8'), 'demo.yaml'));
const sites = new Map([[demo.site.id, demo]]);
const now = Date.parse('2026-11-29T02:00:00Z');
const cell = [...demo.wingOfCell.keys()][0]!;

let seq = 0;
function message(event: SensorEventInput): RawMessage {
  return {
    subject: sensorSubject({ siteId: event.siteId, kind: event.kind, sensorId: event.sensorId }),
    data: new TextEncoder().encode(JSON.stringify(event)),
    streamSeq: ++seq,
  };
}

const search = (eventId: string, searchId: string): SensorEventInput => ({
  v: 1,
  eventId,
  kind: 'search',
  siteId: 'demo',
  sensorId: 'search-gw',
  observedAt: '2026-11-29T01:59:00.000Z',
  exercise: false,
  searchId,
  type: 'spitactie',
  trigger: 'routine',
  cellIds: [cell],
  startedAt: '2026-11-29T01:40:00.000Z',
  endedAt: '2026-11-29T01:59:00.000Z',
  findings: [],
});

describe('a batch is validated and encoded as its sensor_events rows', () => {
  it('encodes an accepted event as its sensor_events row, backslashes doubled, a missing seq as NULL', () => {
    const event = search('s-1', 'wing\\b\tcell');
    const { accepted } = prepareBatch([message(event)], { sites, now });
    expect(accepted).toHaveLength(1);
    const [row] = accepted;
    expect(row).toMatchObject({ event, wingId: demo.wingOfCell.get(cell), zoneId: cell });
    const columns = copyText(accepted).replace(/\n$/, '').split('\t');
    expect(columns.slice(0, 10)).toEqual([
      's-1',
      'demo',
      'search',
      'search-gw',
      event.observedAt,
      '\\N',
      'false',
      demo.wingOfCell.get(cell)!,
      cell,
      String(row!.streamSeq),
    ]);
    // The body's own \t is JSON-escaped (as \\t), and COPY text needs every backslash doubled.
    expect(JSON.parse(columns[10]!.replaceAll('\\\\', '\\'))).toEqual(event);
  });

  it('keeps one row per eventId, counts the repeats, and rejects with a reason and the raw bytes', () => {
    const first = message(search('s-2', 'x'));
    const bad = { subject: first.subject, data: new TextEncoder().encode('{"v":1'), streamSeq: 99 };
    const done = prepareBatch([first, message(search('s-2', 'x')), bad], { sites, now });
    expect(done.accepted.map((r) => r.event.eventId)).toEqual(['s-2']);
    expect(done.duplicatesInBatch).toBe(1);
    expect(done.rejected).toEqual([
      expect.objectContaining({ streamSeq: 99, reason: 'json', eventId: null, raw: bad.data }),
    ]);
  });

  it('joins the rows of a batch in order, each line once', () => {
    const { accepted } = prepareBatch([message(search('s-3', 'a')), message(search('s-4', 'b'))], {
      sites,
      now,
    });
    const lines = copyText(accepted).split('\n');
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['s-3', 's-4', '']);
  });
});
