import type { Alert } from '@wachtpost/contracts';
import { describe, expect, it } from 'vitest';
import { demoSite, verdict } from '../test-fixtures';
import { compileScenario, defaultOrigin, type CompiledScenario } from './compile';
import { listScenarios, loadScenarioFile, SCENARIO_DIR } from './files';
import { formatTable, Judge } from './judge';
import { parseScenario, ScenarioError } from './schema';
import { localMidnight, parseDuration, parseTime } from './times';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Local midnight in Amsterdam (CET, UTC+1) on 2026-03-02: day 0 of the tests. */
const ORIGIN = Date.parse('2026-03-01T23:00:00.000Z');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are read loosely
type Body = Record<string, any>;
const decode = (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as Body;
const file = (name: string) => loadScenarioFile(`${SCENARIO_DIR}/${name}.yaml`);
const compile = (name: string, origin = ORIGIN) => compileScenario(file(name), demoSite(), { origin });
const bodies = (c: CompiledScenario): Body[] => c.messages.map((m) => ({ ...decode(m.data), at: m.at }));

function issuesOf(text: string): string[] {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (err) {
    if (err instanceof ScenarioError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('the scenario parsed');
}

describe('time grammar', () => {
  it('reads durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(2 * HOUR);
    expect(parseDuration('1h30m')).toBe(90 * MINUTE);
    expect(parseDuration('2d')).toBe(48 * HOUR);
    for (const bad of ['', '2', 'h', '30m1h', '-2h', '2 hours']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('reads relative, day and night times; a night runs past midnight', () => {
    expect(parseTime('+0s')).toEqual({ kind: 'relative', ms: 0 });
    expect(parseTime('+2h')).toEqual({ kind: 'relative', ms: 2 * HOUR });
    expect(parseTime('day 1 09:00')).toEqual({ kind: 'clock', day: 1, msOfDay: 9 * HOUR });
    expect(parseTime('night 1 23:10')).toEqual({ kind: 'clock', day: 1, msOfDay: 23 * HOUR + 10 * MINUTE });
    expect(parseTime('night 1 02:00:30')).toEqual({ kind: 'clock', day: 2, msOfDay: 2 * HOUR + 30_000 });
    for (const bad of ['2h', 'day 1 24:00', 'day x 09:00', 'tomorrow', 'night 1 9'])
      expect(parseTime(bad)).toBeUndefined();
  });

  it('finds local midnights across daylight saving', () => {
    // 2026-03-29 is the switch to summer time in Amsterdam: midnight is still UTC+1, the next one UTC+2.
    const now = Date.parse('2026-03-30T12:00:00Z');
    expect(new Date(localMidnight('Europe/Amsterdam', now)).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(localMidnight('Europe/Amsterdam', now, 1)).toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
  });
});

describe('scenario files', () => {
  it('name the bad path', () => {
    const base = `name: x\nspan: { from: "day 0 00:00", to: "day 0 06:00" }\n`;
    expect(
      issuesOf(
        `${base}timeline:\n  - { at: "+0s", admit: d1, cell: a-01 }\n  - { at: "+1h", release: d1 }\n` +
          `  - { at: "day 0 01:00", release: d1 }\n  - { at: "in two hours", release: d1 }\n`,
      ),
    ).toEqual(['timeline[3].at: expected a time like "+2h", "day 1 09:00" or "night 1 23:10"']);
    expect(issuesOf(`${base}expect:\n  - { after: nope, rule: drone-drop, key: k, within: soon }\n`)).toEqual(
      ['expect[0].within: expected a duration like "90s", "2h" or "1h30m"'],
    );
    expect(issuesOf(`${base}expect:\n  - { after: nope, rule: drone-drop, key: k, within: 1m }\n`)).toEqual([
      'expect[0].after: no step or fault has the id "nope"',
    ]);
    expect(issuesOf(`${base}timeline:\n  - { at: "+0s", fly: d1 }\n`)).toEqual([
      'timeline[0]: expected one of drone, phone, admit, move, release, search',
    ]);
    expect(
      issuesOf(`${base}faults:\n  - { silent: gsm-a-1, from: "+1h", to: "+2h", colour: red }\n`),
    ).toEqual(['faults[0].colour: is not a known field']);
    expect(
      issuesOf(`${base}faults:\n  - { silent: gsm-a-1, from: "+1h", to: "+2h", forward: later }\n`),
    ).toEqual(['faults[0].forward: expected true or false']);
    expect(
      issuesOf(
        `${base}faults:\n  - { status: fault, sensor: rf-1, from: "+1h", to: "+2h", forward: true }\n`,
      ),
    ).toEqual(['faults[0].forward: is not a known field']);
    expect(issuesOf('name: [')).toEqual([expect.stringMatching(/^\(root\): not YAML/)]);
  });

  it('name what the site does not have at compile time', () => {
    const s = parseScenario(
      `name: x\nspan: { from: "day 0 00:00", to: "day 0 06:00" }\nactors:\n  phones:\n    p: { cell: z-99 }\n` +
        `timeline:\n  - { at: "+1h", phone: p }\n  - { at: "+1h", phone: q }\n`,
      'x.yaml',
    );
    expect(() => compileScenario(s, demoSite(), { origin: ORIGIN })).toThrow(
      /actors\.phones\.p\.cell: site demo has no cell "z-99".*timeline\[1\]\.phone: no phone "q"/,
    );
  });

  it('ship the five stories, all loading', () => {
    expect(listScenarios().map((s) => [s.id, s.site, s.error])).toEqual([
      ['drone-drop', 'demo', undefined],
      ['gsm-outage-delivery', 'demo', undefined],
      ['phone-follows', 'demo', undefined],
      ['search-missed', 'demo', undefined],
      ['sensor-outage', 'demo', undefined],
    ]);
  });
});

describe('compileScenario', () => {
  it('is deterministic and seeded', () => {
    const a = compile('drone-drop');
    const b = compile('drone-drop');
    expect(a.messages.map((m) => [m.subject, m.msgId, m.at, [...m.data]])).toEqual(
      b.messages.map((m) => [m.subject, m.msgId, m.at, [...m.data]]),
    );
    const other = compileScenario(file('drone-drop'), demoSite(), { origin: ORIGIN, seed: 2 });
    expect(other.messages.map((m) => m.msgId)).not.toEqual(a.messages.map((m) => m.msgId));
  });

  it('sends only valid exercise events, in time order, heartbeats first at an instant', () => {
    for (const { id } of listScenarios()) {
      const c = compile(id);
      let last = -Infinity;
      for (const m of c.messages) {
        expect(verdict(m.subject, m.data, m.at + 50)).toMatchObject({ ok: true });
        expect(decode(m.data)).toMatchObject({ exercise: true, siteId: 'demo' });
        expect(m.at).toBeGreaterThanOrEqual(last);
        last = m.at;
      }
      expect(new Set(c.messages.map((m) => m.msgId)).size).toBe(c.messages.length);
    }
  });

  it('ports the drone drop: a 40 s hover over wing A at 23:00 local, a call from a-05 half an hour later', () => {
    const c = compile('drone-drop');
    const t0 = ORIGIN + 23 * HOUR + 24 * HOUR;
    const story = bodies(c).filter((e) => e.kind !== 'heartbeat');
    expect(story.map((e) => [e.kind, e.sensorId, e.at - t0, e.phase ?? e.zoneId])).toEqual([
      ...Array.from({ length: 9 }, (_, i) => ['drone', 'radar-1', i * 5000, i === 0 ? 'start' : 'update']),
      ['gsm', 'gsm-a-1', 30 * MINUTE, 'a-05'],
    ]);
    expect(story[0]).toMatchObject({
      trackId: 'trk-night-1',
      position: { lat: 51.662, lon: 5.287, altM: 60 },
    });
    const beats = bodies(c).filter((e) => e.kind === 'heartbeat');
    // Every sensor of the site, hourly from 20:00 to 02:00: seven rounds.
    expect(beats).toHaveLength(7 * demoSite().sensors.length);
    expect(beats.every((b) => b.intervalS === 3600 && b.status === 'ok')).toBe(true);
    expect(c.expectations.map((e) => [e.rule, e.afterAt - t0])).toEqual([
      ['drone-incursion', 0],
      ['drone-drop', 0],
      ['contraband-delivery', 30 * MINUTE],
    ]);
  });

  it('ports the phone that follows its detainee: admitted at the start, the phone goes where they go', () => {
    const story = bodies(compile('phone-follows')).filter((e) => e.kind !== 'heartbeat');
    expect(story.map((e) => [e.kind, e.sensorId, e.zoneId ?? e.cellId, (e.at - ORIGIN) / HOUR])).toEqual([
      ['roster', 'roster-gw', 'a-12', 6],
      ['gsm', 'gsm-a-2', 'a-12', 23],
      ['gsm', 'gsm-a-2', 'a-12', 47],
      ['roster', 'roster-gw', 'b-07', 58],
      ['gsm', 'gsm-b-1', 'b-07', 69.5],
    ]);
    expect(story[3]).toMatchObject({ action: 'move', detaineeId: 'det-0042' });
  });

  it('ports the sensor outage: no heartbeats of gsm-d-1 strictly between 06:00 and 12:00', () => {
    const beats = bodies(compile('sensor-outage')).filter((e) => e.sensorId === 'gsm-d-1');
    expect(beats.map((b) => (b.at - ORIGIN) / HOUR - 24)).toEqual([3, 4, 5, 6, 12, 13, 14, 15]);
  });

  it('ports the GSM outage: gsm-a-1 buffers from 22:00 and forwards the calls after the drop at 23:30', () => {
    const c = compile('gsm-outage-delivery');
    const night = (h: number, m = 0) => ORIGIN + 24 * HOUR + h * HOUR + m * MINUTE;
    const all = bodies(c);
    const story = all.filter((e) => e.kind !== 'heartbeat');
    expect(story.map((e) => [e.kind, e.sensorId, e.zoneId ?? e.phase, e.observedAt, e.at])).toEqual([
      ...Array.from({ length: 9 }, (_, i) => {
        const t = night(22, 40) + i * 5000;
        return ['drone', 'radar-1', i === 0 ? 'start' : 'update', new Date(t).toISOString(), t];
      }),
      ['gsm', 'gsm-a-1', 'a-07', new Date(night(22, 55)).toISOString(), night(23, 30)],
      ['gsm', 'gsm-a-1', 'a-07', new Date(night(23, 5)).toISOString(), night(23, 30)],
    ]);
    const gateway = all.filter((e) => e.sensorId === 'gsm-a-1' && e.kind === 'heartbeat');
    expect(gateway.map((b) => (b.at - night(22)) / MINUTE).filter((m) => m >= -10 && m <= 100)).toEqual([
      -10, 0, 90, 100,
    ]);
    // The backlog is the first thing published at 23:30, before that instant's heartbeats.
    const first = all.findIndex((e) => e.at === night(23, 30));
    expect(all.slice(first, first + 3).map((e) => e.kind)).toEqual(['gsm', 'gsm', 'heartbeat']);
    expect(c.expectations.map((e) => [e.rule, (e.afterAt - night(22)) / MINUTE])).toEqual([
      ['sensor-offline', 0],
      ['sensor-offline', 0],
      ['drone-incursion', 40],
      ['drone-drop', 40],
      ['contraband-delivery', 55],
    ]);
  });

  describe('a buffered outage (silent with forward: true)', () => {
    const text = (forward: string) =>
      `name: fwd\nspan: { from: "day 0 00:00", to: "day 0 01:30" }\nheartbeatEvery: 10m\n` +
      `actors:\n  phones:\n    p: { cell: a-05 }\n    q: { cell: b-02 }\n` +
      `timeline:\n  - { at: "+35m", phone: p }\n  - { at: "+5m", phone: q, activity: sms }\n` +
      `  - { at: "+10m", phone: p }\n  - { at: "day 0 01:00", phone: q }\n  - { at: "+10m", phone: p }\n` +
      `faults:\n  - { id: bad, message: json, at: "+1h", sensor: gsm-a-1 }\n` +
      `  - { silent: gsm-a-1, from: "+30m", to: "+1h"${forward} }\n` +
      `  - { silent: gsm-b-1, from: "+20m", to: "+1h"${forward} }\n`;
    const run = (forward: string) =>
      compileScenario(parseScenario(text(forward), 'fwd.yaml'), demoSite(), { origin: ORIGIN });
    const minutes = (ms: number) => (ms - ORIGIN) / MINUTE;
    /** [publication minute, kind, sensor, observation minute] of the gsm-a-1 and gsm-b-1 messages. */
    const gateways = (c: CompiledScenario) =>
      c.messages
        .filter((m) => /\.gsm-[ab]-1$/.test(m.subject))
        .map((m) => {
          if (m.fault) return [minutes(m.at), m.fault];
          const b = decode(m.data);
          return [minutes(m.at), b.kind, b.sensorId, minutes(Date.parse(b.observedAt as string))];
        });

    it('publishes what the sensor observed in the window at its end, in observation order, with its own time', () => {
      const c = run(', forward: true');
      expect(gateways(c)).toEqual([
        [0, 'heartbeat', 'gsm-a-1', 0],
        [0, 'heartbeat', 'gsm-b-1', 0],
        [10, 'heartbeat', 'gsm-a-1', 10],
        [10, 'heartbeat', 'gsm-b-1', 10],
        [20, 'heartbeat', 'gsm-a-1', 20],
        [20, 'heartbeat', 'gsm-b-1', 20],
        [30, 'heartbeat', 'gsm-a-1', 30],
        // Both backlogs, merged in observation order, before anything else at 01:00.
        [60, 'gsm', 'gsm-a-1', 35],
        [60, 'gsm', 'gsm-b-1', 40],
        [60, 'gsm', 'gsm-a-1', 50],
        [60, 'heartbeat', 'gsm-a-1', 60],
        [60, 'heartbeat', 'gsm-b-1', 60],
        [60, 'gsm', 'gsm-b-1', 60],
        [60, 'json'],
        [70, 'heartbeat', 'gsm-a-1', 70],
        [70, 'heartbeat', 'gsm-b-1', 70],
        [70, 'gsm', 'gsm-a-1', 70],
        [80, 'heartbeat', 'gsm-a-1', 80],
        [80, 'heartbeat', 'gsm-b-1', 80],
        [90, 'heartbeat', 'gsm-a-1', 90],
        [90, 'heartbeat', 'gsm-b-1', 90],
      ]);
      const at60 = c.messages.findIndex((m) => m.at === ORIGIN + 60 * MINUTE);
      expect(c.messages.slice(at60, at60 + 3).map((m) => decode(m.data).kind)).toEqual(['gsm', 'gsm', 'gsm']);
      expect(c.messages.every((m, i) => i === 0 || m.at >= c.messages[i - 1]!.at)).toBe(true);
      for (const m of c.messages.filter((x) => !x.fault))
        expect(verdict(m.subject, m.data, m.at + 50)).toMatchObject({ ok: true });
      // The same events as without the outage, byte for byte: only when they are published moves.
      const plain = compileScenario(
        parseScenario(text('').replace(/\n {2}- \{ silent[^\n]*/g, ''), 'fwd.yaml'),
        demoSite(),
        { origin: ORIGIN },
      );
      const story = (x: CompiledScenario) =>
        x.messages
          .filter((m) => !m.fault && decode(m.data).kind === 'gsm')
          .map((m) => [m.msgId, [...m.data]])
          .sort();
      expect(story(c)).toEqual(story(plain));
    });

    it('without it, or with forward: false, drops them as before', () => {
      const dropped = [
        [0, 'heartbeat', 'gsm-a-1', 0],
        [0, 'heartbeat', 'gsm-b-1', 0],
        [10, 'heartbeat', 'gsm-a-1', 10],
        [10, 'heartbeat', 'gsm-b-1', 10],
        [20, 'heartbeat', 'gsm-a-1', 20],
        [20, 'heartbeat', 'gsm-b-1', 20],
        [30, 'heartbeat', 'gsm-a-1', 30],
        [60, 'heartbeat', 'gsm-a-1', 60],
        [60, 'heartbeat', 'gsm-b-1', 60],
        [60, 'gsm', 'gsm-b-1', 60],
        [60, 'json'],
        [70, 'heartbeat', 'gsm-a-1', 70],
        [70, 'heartbeat', 'gsm-b-1', 70],
        [70, 'gsm', 'gsm-a-1', 70],
        [80, 'heartbeat', 'gsm-a-1', 80],
        [80, 'heartbeat', 'gsm-b-1', 80],
        [90, 'heartbeat', 'gsm-a-1', 90],
        [90, 'heartbeat', 'gsm-b-1', 90],
      ];
      const without = run('');
      expect(gateways(without)).toEqual(dropped);
      const off = run(', forward: false');
      expect(off.messages.map((m) => [m.subject, m.msgId, m.at, [...m.data]])).toEqual(
        without.messages.map((m) => [m.subject, m.msgId, m.at, [...m.data]]),
      );
    });

    it('cannot overlap another silence of the same sensor', () => {
      const s = parseScenario(
        `name: x\nspan: { from: "day 0 00:00", to: "day 0 03:00" }\nfaults:\n` +
          `  - { silent: gsm-a-1, from: "+1h", to: "+2h", forward: true }\n` +
          `  - { silent: gsm-a-1, from: "+2h", to: "+3h" }\n` +
          `  - { silent: gsm-b-1, from: "+1h", to: "+2h" }\n` +
          `  - { silent: gsm-a-1, from: "+90m", to: "+150m" }\n`,
        'x.yaml',
      );
      expect(() => compileScenario(s, demoSite(), { origin: ORIGIN })).toThrow(
        /^x: faults\[3\]\.from: overlaps faults\[0\], a buffered outage of gsm-a-1 \(forward: true\)$/,
      );
    });
  });

  it('applies status and message faults', () => {
    const s = parseScenario(
      `name: f\nspan: { from: "day 0 00:00", to: "day 0 03:00" }\nfaults:\n` +
        `  - { status: fault, sensor: rf-1, from: "+1h", to: "+2h" }\n` +
        `  - { id: bad, message: json, at: "+90m", count: 2 }\n  - { message: unknown-zone, at: "+2h" }\n`,
      'f.yaml',
    );
    const c = compileScenario(s, demoSite(), { origin: ORIGIN });
    const rf = bodies({ ...c, messages: c.messages.filter((m) => m.subject.endsWith('.rf-1')) });
    expect(rf.map((b) => b.status)).toEqual(['ok', 'fault', 'ok', 'ok']);
    const broken = c.messages.filter((m) => m.fault);
    expect(broken.map((m) => [m.fault, verdict(m.subject, m.data, m.at + 50)])).toEqual([
      ['json', expect.objectContaining({ ok: false, reason: 'json' })],
      ['json', expect.objectContaining({ ok: false, reason: 'json' })],
      ['unknown-zone', expect.objectContaining({ ok: false, reason: 'zone' })],
    ]);
    expect(c.instants.bad).toBe(ORIGIN + 90 * MINUTE);
  });

  it('puts the whole scenario behind the clock with the default origin, at a local midnight', () => {
    const now = Date.parse('2026-03-10T00:30:00Z');
    for (const { id } of listScenarios()) {
      const s = file(id);
      const origin = defaultOrigin(s, demoSite(), now);
      const c = compileScenario(s, demoSite(), { origin });
      expect(c.to).toBeLessThanOrEqual(now);
      expect(now - c.from).toBeLessThan(7 * 24 * HOUR);
      expect(new Date(origin).toISOString()).toMatch(/T23:00:00\.000Z$/);
    }
  });
});

describe('Judge', () => {
  const c = compile('drone-drop');
  const alert = (over: Partial<Alert>): Alert => ({
    v: 1,
    alertId: 'demo.exercise:drone-drop:radar-1/trk-night-1',
    rev: 1,
    rule: 'drone-drop',
    severity: 'critical',
    status: 'open',
    siteId: 'demo',
    wingId: 'a',
    cellIds: [],
    detaineeIds: [],
    sensorIds: ['radar-1'],
    title: 't',
    summary: 's',
    firstEventAt: new Date(c.instants.drop!).toISOString(),
    lastEventAt: new Date(c.instants.drop!).toISOString(),
    count: 1,
    evidence: [],
    openedAt: new Date(c.instants.drop!).toISOString(),
    updatedAt: new Date(c.instants.drop! + 40_000).toISOString(),
    exercise: true,
    ...over,
  });

  it('judges met, late and missed on event time, and lists other alerts', () => {
    const judge = new Judge('demo', c.expectations);
    judge.observe(alert({}), 1200);
    judge.observe(
      alert({
        alertId: 'demo.exercise:contraband-delivery:a',
        rule: 'contraband-delivery',
        cellIds: ['a-05'],
        updatedAt: new Date(c.instants.call! + 11 * MINUTE).toISOString(),
      }),
      1500,
    );
    judge.observe(alert({ alertId: 'demo.exercise:gsm-burst:a', rule: 'gsm-burst' }), 1600);
    // Live traffic and other sites never count.
    judge.observe(
      alert({
        alertId: 'demo:drone-incursion:radar-1/trk-night-1',
        rule: 'drone-incursion',
        exercise: false,
      }),
      1700,
    );
    expect(judge.settled()).toBe(false);
    const mid = judge.report();
    expect(mid.summary).toEqual({ met: 1, late: 1, missed: 0, pending: 1 });
    const { expectations, summary, otherAlerts } = judge.report(true);
    expect(summary).toEqual({ met: 1, late: 1, missed: 1, pending: 0 });
    expect(expectations.map((r) => [r.rule, r.verdict, r.latencyMs])).toEqual([
      ['drone-incursion', 'missed', undefined],
      ['drone-drop', 'met', 40_000],
      ['contraband-delivery', 'late', 11 * MINUTE],
    ]);
    expect(otherAlerts).toEqual(['demo.exercise:gsm-burst:a']);
    const table = formatTable(expectations);
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toMatch(/drone-drop\s+radar-1\/trk-night-1\s+critical\s+2m\s+MET\s+40s/);
  });

  it('waits for the revision with the expected status and severity', () => {
    const judge = new Judge('demo', [{ ...c.expectations[1]!, status: 'resolved' }]);
    judge.observe(alert({}), 10);
    expect(judge.settled()).toBe(false);
    judge.observe(alert({ rev: 2, status: 'resolved' }), 20);
    expect(judge.report().expectations[0]).toMatchObject({ verdict: 'met', rev: 2 });
    // A repeat occurrence (`#2`) is the same key.
    const again = new Judge('demo', [c.expectations[1]!]);
    again.observe(alert({ alertId: 'demo.exercise:drone-drop:radar-1/trk-night-1#2' }), 5);
    expect(again.settled()).toBe(true);
  });
});
