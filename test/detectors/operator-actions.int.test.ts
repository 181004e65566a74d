import { startConsoleServer } from '@wachtpost/console';
import { loadConfig, runServices, type RunningSystem } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/console';
import { startDetectorsHarness, type DetectorsHarness } from '../support/detectors';
import { metricValue, quietLog, waitFor } from '../support/harness';

/**
 * The console and the detectors both write revisions of an alert: the console for an operator's action, the
 * detectors for new evidence. The detectors take the console's actions as logged inputs, so their next
 * revision follows the operator's (no collision, no status undone), cool-downs see a resolve, and a replay
 * after a crash derives the same revisions.
 */
describe('operator actions reach the detectors', () => {
  let h: DetectorsHarness;
  let consoleSystem: RunningSystem;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    h = await startDetectorsHarness();
    consoleSystem = await runServices(
      [{ name: 'console', start: (ctx) => startConsoleServer(ctx, { print: () => undefined }) }],
      {
        config: loadConfig({ ...h.env, WACHTPOST_ADMIN_PASSWORD: PASSWORD }),
        log: quietLog,
        installSignalHandlers: false,
      },
    );
    base = `http://127.0.0.1:${consoleSystem.ctx.http.port}`;
    const login = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    await consoleSystem?.shutdown();
    await h?.close();
  });

  const act = async (alertId: string, action: string, body: Record<string, unknown>) => {
    const res = await fetch(`${base}/api/alerts/${encodeURIComponent(alertId)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  let n = 0;
  /** A remote-id drone report over the demo site: each one repeats the track's drone-incursion alert. */
  // The second test's track flies 700 m from the first's, so the two are separate incidents.
  const elsewhere = { lat: 51.663, lon: 5.286, altM: 80 };
  const report = (trackId: string, at: number, position = { lat: 51.6572, lon: 5.2935, altM: 80 }) => ({
    v: 1 as const,
    eventId: `op-${++n}`,
    kind: 'drone' as const,
    siteId: 'demo',
    sensorId: 'rid-1',
    observedAt: new Date(at).toISOString(),
    trackId,
    phase: 'update' as const,
    detection: 'remote-id' as const,
    position,
  });
  const stored = async (alertId: string) => (await h.alerts()).find((a) => a.alertId === alertId);
  const historyOf = async (alertId: string) =>
    (await h.history()).filter((r) => r.alertId === alertId).map((r) => [r.rev, r.change, r.body.status]);

  it('continues from the operator revision, and a resolve holds through the cool-down', async () => {
    const { registry } = await h.startDetectors({ tickMs: 200 });
    const applied = (count: number) =>
      waitFor(
        async () => (await metricValue(registry, 'wachtpost_detectors_operator_actions_total')) === count,
        10_000,
        `${count} operator actions handed to the engine`,
      );
    const alertId = 'demo:drone-incursion:rid-1/op-track';
    const t0 = Date.now();
    await h.publishEvents([report('op-track', t0)]);
    await waitFor(() => stored(alertId), 10_000, 'the incursion alert');

    await act(alertId, 'acknowledge', { rev: 1 });
    await act(alertId, 'note', { rev: 2, note: 'camera 4 on it' });
    await applied(2);
    // New evidence 11 s on (past the repeat throttle): the engine's revision follows the console's two.
    await h.publishEvents([report('op-track', t0 + 11_000)]);
    await waitFor(async () => (await stored(alertId))?.rev === 4, 10_000, 'the engine revision 4');
    expect(await stored(alertId)).toMatchObject({ status: 'acknowledged', body: { count: 2 } });

    await act(alertId, 'resolve', { rev: 4, outcome: 'false-positive' });
    await applied(3);
    // Within the cool-down the resolved alert absorbs the repeat instead of paging again.
    await h.publishEvents([report('op-track', t0 + 22_000)]);
    await waitFor(async () => (await stored(alertId))?.body.count === 3, 10_000, 'the repeat counted');
    expect(await stored(alertId)).toMatchObject({ status: 'resolved', rev: 6 });

    expect(await historyOf(alertId)).toEqual([
      [1, 'opened', 'open'],
      [2, 'acknowledged', 'acknowledged'],
      [3, 'noted', 'acknowledged'],
      [4, 'updated', 'acknowledged'],
      [5, 'resolved', 'resolved'],
      [6, 'updated', 'resolved'],
    ]);
    const published = (await h.published()).filter((p) => p.alert.alertId === alertId);
    expect(published.map((p) => p.alert.rev)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await metricValue(registry, 'wachtpost_detectors_foreign_revisions_total')).toBe(0);
  });

  it('replays logged operator actions in place after a crash, deriving the same revisions', async () => {
    await h.stopDetectors();
    const snapshotAt = async () =>
      (await h.pool.query<{ t: string }>('SELECT updated_at::text AS t FROM detector_state')).rows[0]?.t;
    const before = await snapshotAt();
    // One snapshot right after the restore, then none for an hour: the kill leaves the operator input to the
    // log, and the next start must repeat it in its place.
    const child = h.startDetectorsProcess({
      DETECTORS_TICK_MS: '200',
      DETECTORS_SNAPSHOT_EVERY_MS: '3600000',
    });
    await waitFor(async () => (await snapshotAt()) !== before, 15_000, 'the restarted detectors snapshot');
    const alertId = 'demo:drone-incursion:rid-1/op-crash';
    const t0 = Date.now();
    await h.publishEvents([report('op-crash', t0, elsewhere)]);
    await waitFor(() => stored(alertId), 15_000, 'the incursion alert').catch((err: Error) => {
      throw new Error(`${err.message}\n${child.output()}`);
    });
    await act(alertId, 'acknowledge', { rev: 1 });
    await waitFor(
      async () =>
        (
          await h.pool.query(
            "SELECT 1 FROM detector_clock WHERE kind = 'operator' AND command->>'alertId' = $1",
            [alertId],
          )
        ).rowCount === 1,
      10_000,
      'the acknowledge logged for the engine',
    );
    await h.publishEvents([report('op-crash', t0 + 11_000, elsewhere)]);
    await waitFor(async () => (await stored(alertId))?.rev === 3, 10_000, 'the engine revision 3');
    await child.kill('SIGKILL');
    const replayed = await h.pool.query(
      `SELECT 1 FROM detector_clock c JOIN detector_state s USING (partition)
       WHERE c.kind = 'operator' AND c.no > s.clock_no AND c.command->>'alertId' = $1`,
      [alertId],
    );
    expect(replayed.rowCount, 'the acknowledge is left to the replay, not in the snapshot').toBe(1);
    const publishedBefore = await h.published();

    const { registry } = await h.startDetectors({ tickMs: 200 });
    await h.waitDetectorsIdle();
    await h.publishEvents([report('op-crash', t0 + 22_000, elsewhere)]);
    await waitFor(async () => (await stored(alertId))?.rev === 4, 10_000, 'the engine revision 4');
    expect(await stored(alertId)).toMatchObject({ status: 'acknowledged', body: { count: 3 } });
    expect(await metricValue(registry, 'wachtpost_detectors_foreign_revisions_total')).toBe(0);
    // The replay re-derived revisions 1-3 exactly: only revision 4 is new on the stream.
    const published = await h.published();
    expect(published.slice(0, publishedBefore.length)).toEqual(publishedBefore);
    expect(published.slice(publishedBefore.length).map((p) => `${p.alert.alertId}:${p.alert.rev}`)).toEqual([
      `${alertId}:4`,
    ]);
  });
});
