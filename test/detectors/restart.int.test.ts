import { DETECTORS_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness, type DetectorsChild } from '../support/detectors';
import { alertIdOf, allStoriesScenario } from '../support/scenarios';

/**
 * Crash and restart: the same traffic is correlated once by an uninterrupted worker and once by detectors
 * processes killed with SIGKILL twice while they work, as soon as they publish a new revision (once with a snapshot after every batch, once with
 * the default snapshot interval, so the restart replays from an older snapshot). The alerts, their
 * histories and what reached alerts.v1.> must be identical, revision by revision: none duplicated, none
 * missed.
 */
// The restarted processes say where they restored from and what they replayed.
const INFO = { LOG_LEVEL: 'info', LOG_PRETTY: 'false' };

describe('detectors restart', () => {
  const scenario = allStoriesScenario();
  let baseline: DetectorsHarness;
  let crashed: DetectorsHarness;
  const kills: { numPending: number; ackPending: number }[] = [];
  const outputs: string[] = [];

  beforeAll(async () => {
    [baseline, crashed] = await Promise.all([startDetectorsHarness(), startDetectorsHarness()]);
    await baseline.startDetectors();
    await baseline.publishEvents(scenario.events);
    await baseline.waitDetectorsIdle();

    // In thirds: the first kill comes in the first third, the second in the second, and the last process
    // finishes the rest, so each kill leaves work behind.
    const third = Math.floor(scenario.events.length / 3);
    await crashed.publishEvents(scenario.events.slice(0, third));
    // Small batches: many commits, so a kill lands between some of them.
    const first = crashed.startDetectorsProcess({
      ...INFO,
      DETECTORS_BATCH_SIZE: '20',
      DETECTORS_SNAPSHOT_EVERY_MS: '0',
    });
    await killOnNewRevision(crashed, first);
    await crashed.publishEvents(scenario.events.slice(third, 2 * third));
    const second = crashed.startDetectorsProcess({ ...INFO, DETECTORS_BATCH_SIZE: '20' });
    await killOnNewRevision(crashed, second);
    await crashed.publishEvents(scenario.events.slice(2 * third));
    const last = crashed.startDetectorsProcess(INFO);
    await crashed.waitDetectorsIdle(90_000);
    outputs.push(first.output(), second.output(), last.output());
  }, 180_000);
  afterAll(async () => {
    await Promise.all([baseline?.close(), crashed?.close()]);
  });

  /**
   * Kills the process with SIGKILL the moment a revision it had not published before reaches alerts.v1.>
   * (a subscription, not polling, so the process has little time to run on).
   */
  async function killOnNewRevision(h: DetectorsHarness, child: DetectorsChild) {
    const before = new Set((await h.published()).map((p) => `${p.alert.alertId}:${p.alert.rev}`));
    let killed!: () => void;
    const done = new Promise<void>((resolve) => (killed = resolve));
    const sub = h.nc.subscribe('alerts.v1.>', {
      callback: (_err, msg) => {
        const alert = msg.json<{ alertId: string; rev: number }>();
        if (before.has(`${alert.alertId}:${alert.rev}`)) return;
        child.child.kill('SIGKILL');
        killed();
      },
    });
    const exited = new Promise((resolve) => child.child.once('exit', resolve));
    await Promise.race([
      done,
      exited.then(() => Promise.reject(new Error(`detectors exited early:\n${child.output()}`))),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('no new alert revision in 60 s')), 60_000),
      ),
    ]);
    sub.unsubscribe();
    await child.kill('SIGKILL');
    const info = await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
    kills.push({ numPending: info.num_pending, ackPending: info.num_ack_pending });
  }

  it('was killed while work was left', () => {
    expect(kills).toHaveLength(2);
    for (const k of kills) expect(k.numPending + k.ackPending).toBeGreaterThan(0);
  });

  it('restored a snapshot and replayed the stream after each kill', () => {
    expect(outputs[0]).toContain('no detector state yet');
    for (const output of outputs.slice(1)) {
      expect(output).toContain('detector state restored');
      expect(output).toContain('replaying the stream up to where the last run stopped');
    }
  });

  it('raises the scenario alerts', async () => {
    const stored = await crashed.alerts({ exercise: true });
    expect(stored.map((a) => a.alertId)).toEqual(scenario.expected.map(alertIdOf).sort());
  });

  it('stores the same alerts, revisions and histories as the uninterrupted run', async () => {
    const [a, b] = await Promise.all([
      baseline.alerts({ exercise: true }),
      crashed.alerts({ exercise: true }),
    ]);
    expect(b).toEqual(a);
    const exercise = (rows: { body: { exercise: boolean } }[]) => rows.filter((r) => r.body.exercise);
    expect(exercise(await crashed.history())).toEqual(exercise(await baseline.history()));
  });

  it('published every revision exactly once, as the uninterrupted run did', async () => {
    const revisions = async (h: DetectorsHarness) =>
      (await h.published())
        .filter((p) => p.alert.exercise)
        .map((p) => ({ id: `${p.alert.alertId}:${p.alert.rev}`, subject: p.subject, alert: p.alert }))
        .sort((x, y) => x.id.localeCompare(y.id));
    const [a, b] = await Promise.all([revisions(baseline), revisions(crashed)]);
    expect(new Set(b.map((r) => r.id)).size).toBe(b.length);
    expect(b).toEqual(a);
  });
});
