import { DetectorsWorker } from '@wachtpost/detectors';
import { IngestWorker } from '@wachtpost/ingest';
import { createPool, createRegistry, type Pool } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';
import { demoSites } from '../support/events';
import { quietLog, waitFor } from '../support/harness';

interface SimulatorView {
  phase: string;
  run?: { siteId: string; mode: string; scenario?: string; speed: number; rate: number; error?: string };
  counters: {
    published: number;
    accepted: number;
    rejected: number;
    alerts: number;
    faults: number;
    silenced: number;
    byKind: Record<string, number>;
  };
  scenarios: { id: string; name: string; site: string }[];
  sites: { id: string; name: string }[];
  faults: string[];
  expectations?: { rule: string; verdict: string; alertId?: string }[];
  summary?: { met: number; late: number; missed: number; pending: number };
  silences: { sensorId: string; until: string }[];
  result?: Record<string, unknown>;
}

/**
 * Simulator control through the console: a tester starts a scenario, a feed and a load, pauses, re-paces,
 * injects faults and stops, against a private NATS and database with an ingest and a detectors worker, so
 * the counters (accepted, rejected, alerts) and the expectations are the real ones.
 */
describe('console simulator control', () => {
  let h: ConsoleHarness;
  let c: RunningConsole;
  let tester: string;
  let admin: string;
  const pools: Pool[] = [];
  const workers: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    h = await startConsoleHarness();
    const common = {
      nc: h.nc,
      sites: demoSites,
      log: quietLog,
      retentionMs: h.config.sensors.retentionMs,
      ackWaitMs: h.config.sensors.ackWaitMs,
    };
    const ingestPool = createPool(h.config, h.db.url, quietLog);
    const detectorsPool = createPool(h.config, h.db.url, quietLog);
    pools.push(ingestPool, detectorsPool);
    const ingest = new IngestWorker({
      ...common,
      pool: ingestPool,
      registry: createRegistry(),
      ...h.config.ingest,
    });
    await ingest.start();
    const detectors = new DetectorsWorker({
      ...common,
      pool: detectorsPool,
      registry: createRegistry(),
      ...h.config.detectors,
      expectSensors: false,
    });
    await detectors.start();
    workers.push(detectors, ingest);
    c = await h.startConsole();
    for (const [name, role] of [
      ['tess', 'tester'],
      ['olga', 'operator'],
      ['anna', 'analyst'],
    ] as const)
      await h.addUser(name, role);
    tester = await h.login(c.base, 'tess');
    admin = await h.login(c.base, 'admin');
  });
  afterAll(async () => {
    await c?.stop();
    for (const w of workers) await w.stop();
    for (const p of pools) await p.end();
    await h?.close();
  });

  const sim = (cookie: string | undefined, method: string, path = '', body?: unknown) =>
    h.api<SimulatorView>(c.base, cookie, method, `/api/simulator${path}`, body);
  const until = (what: string, ok: (v: SimulatorView) => boolean, timeoutMs = 60_000) =>
    waitFor(
      async () => {
        const { body } = await sim(tester, 'GET');
        return ok(body) && body;
      },
      timeoutMs,
      what,
    );

  it('is for testers and admins only', async () => {
    const olga = await h.login(c.base, 'olga');
    const anna = await h.login(c.base, 'anna');
    const calls: [string, string, unknown?][] = [
      ['GET', ''],
      ['POST', '/start', { siteId: 'demo', mode: 'feed' }],
      ['POST', '/pause', {}],
      ['POST', '/resume', {}],
      ['POST', '/stop', {}],
      ['PATCH', '', { speed: 2 }],
      ['POST', '/faults', { fault: 'json' }],
    ];
    for (const [method, path, body] of calls) {
      for (const cookie of [olga, anna]) expect((await sim(cookie, method, path, body)).status).toBe(403);
      expect((await sim(undefined, method, path, body)).status).toBe(401);
    }
    expect((await sim(admin, 'GET')).status).toBe(200);
    // Nothing ran: the refusals changed nothing.
    expect((await sim(tester, 'GET')).body.phase).toBe('idle');
  });

  it('lists the scenarios, the sites and the faults', async () => {
    const { status, body } = await sim(tester, 'GET');
    expect(status).toBe(200);
    expect(body.scenarios.map((s) => s.id)).toEqual([
      'drone-drop',
      'gsm-outage-delivery',
      'phone-follows',
      'search-missed',
      'sensor-outage',
    ]);
    expect(body.sites).toEqual([{ id: 'demo', name: expect.any(String) }]);
    expect(body.faults).toContain('json');
    expect(body.faults).toContain('silence');
  });

  it('answers bad input with 400 and the issues, and unknown names with 404', async () => {
    const both = await sim(tester, 'POST', '/start', {
      siteId: 'demo',
      mode: 'feed',
      scenario: 'drone-drop',
    });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({
      error: 'invalid request',
      issues: [{ path: 'scenario', message: 'give exactly one of scenario or mode' }],
    });
    const odd = await sim(tester, 'POST', '/start', {
      siteId: 'demo',
      mode: 'feed',
      speed: -1,
      colour: 'red',
    });
    expect(odd.status).toBe(400);
    expect((odd.body as unknown as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
      'colour',
      'speed',
    ]);
    expect((await sim(tester, 'POST', '/start', { siteId: 'nowhere', mode: 'feed' })).status).toBe(404);
    expect((await sim(tester, 'POST', '/start', { siteId: 'demo', scenario: 'no-such' })).status).toBe(404);
    expect((await sim(tester, 'POST', '/faults', { fault: 'gremlins' })).status).toBe(400);
    expect((await sim(tester, 'POST', '/pause', {})).status).toBe(409);
  });

  it('runs a scenario to the end and judges its expectations, with live counters', async () => {
    const start = await sim(tester, 'POST', '/start', {
      siteId: 'demo',
      scenario: 'drone-drop',
      speed: 20_000,
    });
    expect(start.status).toBe(200);
    expect(start.body.run).toMatchObject({
      siteId: 'demo',
      mode: 'scenario',
      scenario: 'drone-drop',
      speed: 20_000,
    });
    const again = await sim(tester, 'POST', '/start', { siteId: 'demo', mode: 'feed' });
    expect([200, 409]).toContain(again.status);
    if (again.status === 200) throw new Error('a second run started while the first was running');

    const done = await until('the scenario to finish', (v) => v.phase === 'finished');
    expect(done.summary).toEqual({ met: 3, late: 0, missed: 0, pending: 0 });
    expect(done.expectations!.map((e) => [e.rule, e.verdict])).toEqual([
      ['drone-incursion', 'met'],
      ['drone-drop', 'met'],
      ['contraband-delivery', 'met'],
    ]);
    // 23 sensors beat 7 times, 9 drone reports and a call.
    expect(done.counters.published).toBe(7 * 23 + 10);
    expect(done.counters.byKind).toEqual({ heartbeat: 7 * 23, drone: 9, gsm: 1 });
    expect(done.counters.alerts).toBeGreaterThanOrEqual(3);
    const stored = await until('ingest to store the scenario', (v) => v.counters.accepted === 7 * 23 + 10);
    expect(stored.counters.rejected).toBe(0);
  });

  it('runs a feed a tester pauses, re-paces, breaks and stops; every action audited', async () => {
    expect((await sim(tester, 'POST', '/start', { siteId: 'demo', mode: 'feed', speed: 5 })).status).toBe(
      200,
    );
    await until('the feed to publish', (v) => v.counters.published > 20);
    const paused = await sim(tester, 'POST', '/pause', {});
    expect(paused.body.phase).toBe('paused');
    expect((await sim(tester, 'PATCH', '', { speed: 30 })).body.run?.speed).toBe(30);
    const wrong = await sim(tester, 'PATCH', '', { rate: 30 });
    expect(wrong.status).toBe(409);
    expect((await sim(tester, 'POST', '/resume', {})).body.phase).toBe('running');

    const json = await sim(tester, 'POST', '/faults', { fault: 'json', count: 2 });
    expect(json.status).toBe(200);
    expect(json.body.result).toEqual({ fault: 'json', sent: 2 });
    const silence = await sim(tester, 'POST', '/faults', {
      fault: 'silence',
      sensorId: 'radar-1',
      forS: 600,
    });
    expect(silence.body.silences).toEqual([{ sensorId: 'radar-1', until: expect.any(String) }]);
    expect((await sim(tester, 'POST', '/faults', { fault: 'silence' })).status).toBe(400);
    await until(
      'ingest to reject the broken messages',
      (v) => v.counters.rejected === 2 && v.counters.accepted > 0,
    );
    // radar-1 beats every 10 s; at speed 30 its next beats are held back.
    await until('a silenced message', (v) => v.counters.silenced > 0);

    const stopped = await sim(tester, 'POST', '/stop', {});
    expect(stopped.body.phase).toBe('stopped');
    expect((await sim(tester, 'POST', '/stop', {})).status).toBe(409);

    const { rows } = await h.pool.query<{ actor: string; action: string; detail: Record<string, unknown> }>(
      `SELECT actor, action, detail FROM audit_log WHERE action LIKE 'simulator-%' ORDER BY id`,
    );
    const mine = rows.filter((r) => r.detail.refused === undefined).map((r) => r.action);
    expect(mine).toEqual([
      'simulator-start',
      'simulator-start',
      'simulator-pause',
      'simulator-tune',
      'simulator-resume',
      'simulator-fault',
      'simulator-fault',
      'simulator-stop',
    ]);
    expect(rows.every((r) => r.actor === 'tess')).toBe(true);
    expect(rows.find((r) => r.action === 'simulator-tune' && r.detail.refused)?.detail).toMatchObject({
      rate: 30,
      refused: expect.stringMatching(/^rate applies/),
    });
  });

  it('runs a paced load an admin re-rates', async () => {
    expect((await sim(admin, 'POST', '/start', { siteId: 'demo', mode: 'load', rate: 100 })).status).toBe(
      200,
    );
    expect((await sim(admin, 'PATCH', '', { rate: 400 })).body.run?.rate).toBe(400);
    const loaded = await until('the load to be stored', (v) => v.counters.accepted >= 200);
    expect(loaded.run).toMatchObject({ mode: 'load', rate: 400 });
    expect((await sim(admin, 'POST', '/stop', {})).body.phase).toBe('stopped');
  });
});
