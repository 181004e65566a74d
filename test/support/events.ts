import { readFileSync } from 'node:fs';
import {
  DEMO_SITE_URL,
  indexSite,
  parseSiteModel,
  sensorSubject,
  type RejectReason,
  type SensorEventInput,
  type SiteIndex,
} from '@wachtpost/contracts';

export const demoSite: SiteIndex = indexSite(
  parseSiteModel(readFileSync(DEMO_SITE_URL, 'utf8'), 'demo.yaml'),
);
export const demoSites = new Map([[demoSite.site.id, demoSite]]);
const cells = [...demoSite.wingOfCell.keys()];
const gsmSensors = demoSite.site.sensors.filter((s) => s.kind === 'gsm' && s.zoneIds.length > 0);

export interface OutgoingMessage {
  subject: string;
  data: Uint8Array;
  /** Nats-Msg-Id header; absent for messages a careless gateway sends without one. */
  msgId?: string;
}

const encoder = new TextEncoder();
const iso = (ms: number) => new Date(ms).toISOString();

/** A valid event of every kind in turn, for the demo site; `i` makes it unique and deterministic. */
export function validEvent(i: number, observedAtMs: number, prefix = 't'): SensorEventInput {
  const base = {
    v: 1 as const,
    eventId: `${prefix}-${i}`,
    siteId: 'demo',
    observedAt: iso(observedAtMs),
    exercise: true,
  };
  const cell = cells[i % cells.length]!;
  switch (i % 5) {
    case 0: {
      const sensor = gsmSensors[i % gsmSensors.length]!;
      return {
        ...base,
        kind: 'gsm',
        sensorId: sensor.id,
        zoneId: sensor.zoneIds[i % sensor.zoneIds.length]!,
        tech: '4g',
        rssiDbm: -60 - (i % 40),
        durationS: i % 90,
        activity: 'data',
      };
    }
    case 1:
      return {
        ...base,
        kind: 'drone',
        sensorId: 'radar-1',
        trackId: `trk-${Math.floor(i / 50)}`,
        phase: 'update',
        detection: 'radar',
        position: { lat: 51.6605, lon: 5.288, altM: 40 },
        bearingDeg: -24.36,
      };
    case 2:
      return {
        ...base,
        kind: 'search',
        sensorId: 'search-gw',
        searchId: `s-${i}`,
        type: 'cell-inspection',
        trigger: 'routine',
        cellIds: [cell],
        startedAt: iso(observedAtMs - 1_800_000),
        endedAt: iso(observedAtMs - 600_000),
        findings: i % 3 === 0 ? [{ category: 'phone', qty: 1, cellId: cell }] : [],
      };
    case 3:
      return {
        ...base,
        kind: 'roster',
        sensorId: 'roster-gw',
        detaineeId: `d-${i % 300}`,
        action: 'move',
        cellId: cell,
        effectiveAt: iso(observedAtMs),
      };
    default:
      return { ...base, kind: 'heartbeat', sensorId: 'rf-1', status: 'ok', intervalS: 10 };
  }
}

export function messageOf(event: SensorEventInput, withMsgId = true): OutgoingMessage {
  return {
    subject: sensorSubject({ siteId: event.siteId, kind: event.kind, sensorId: event.sensorId }),
    data: encoder.encode(JSON.stringify(event)),
    ...(withMsgId && { msgId: event.eventId }),
  };
}

/** A message that must be rejected for `reason`, built from a valid event. */
export function faultyMessage(reason: RejectReason, i: number, nowMs: number): OutgoingMessage {
  const event = validEvent(i, nowMs, `bad-${reason}`) as Record<string, unknown> & SensorEventInput;
  const ok = messageOf(event);
  switch (reason) {
    case 'json':
      return { ...ok, data: encoder.encode(`{"v":1,"eventId":"bad-json-${i}",`) };
    case 'schema':
      return messageOf({ ...event, v: 2 } as unknown as SensorEventInput);
    case 'subject':
      return { ...ok, subject: ok.subject.replace('sensors.v1.demo.', 'sensors.v1.other-site.') };
    case 'site': {
      const unknown = { ...event, siteId: 'nowhere' } as SensorEventInput;
      return messageOf(unknown);
    }
    case 'zone': {
      const gsm = validEvent(i * 5, nowMs, 'bad-zone');
      return messageOf({ ...gsm, zoneId: 'no-such-zone' } as SensorEventInput);
    }
    case 'clock':
      return messageOf({ ...event, observedAt: iso(nowMs + 3_600_000) });
    case 'size':
      return messageOf({ ...event, padding: 'x'.repeat(70_000) } as unknown as SensorEventInput);
  }
}
