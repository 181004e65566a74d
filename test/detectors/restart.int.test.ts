import { ALERTS_STREAM, DETECTORS_CONSUMER, SENSORS_STREAM } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDetectorsHarness, type DetectorsHarness, type DetectorsChild } from '../support/detectors';
import { waitFor } from '../support/harness';
import { alertIdOf, allStoriesScenario } from '../support/scenarios';

/**
 * Crash and restart: the same traffic is correlated once by an uninterrupted worker and once by detectors
 * processes killed with SIGKILL twice while they work (once with a snapshot after every batch, once with
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

    const half = Math.floor(scenario.events.length / 2);
    await crashed.publishEvents(scenario.events.slice(0, half));
    // Small batches: many commits, so a kill lands between some of them.
    const first = crashed.startDetectorsProcess({
      ...INFO,
      DETECTORS_BATCH_SIZE: '20',
      DETECTORS_SNAPSHOT_EVERY_MS: '0',
    });
    await killAfterAlerts(crashed, first, 1);
    await crashed.publishEvents(scenario.events.slice(half));
    const second = crashed.startDetectorsProcess({ ...INFO, DETECTORS_BATCH_SIZE: '20' });
    await killAfterAlerts(crashed, second, (await alertCount(crashed)) + 3);
    const third = crashed.startDetectorsProcess(INFO);
    await crashed.waitDetectorsIdle(90_000);
    outputs.push(first.output(), second.output(), third.output());
  }, 180_000);
  afterAll(async () => {
    await Promise.all([baseline?.close(), crashed?.close()]);
  });

  /** Kills the process with SIGKILL as soon as the ALERTS stream holds `n` messages. */
  async function killAfterAlerts(h: DetectorsHarness, child: DetectorsChild, n: number) {
    await waitFor(
      async () => {
        if (child.child.exitCode !== null) throw new Error(`detectors exited early:\n${child.output()}`);
        return (await alertCount(h)) >= n;
      },
      60_000,
      `${n} alert revisions published`,
    );
    await child.kill('SIGKILL');
    const info = await h.jsm.consumers.info(SENSORS_STREAM, DETECTORS_CONSUMER);
    kills.push({ numPending: info.num_pending, ackPending: info.num_ack_pending });
  }

  const alertCount = async (h: DetectorsHarness) => (await h.jsm.streams.info(ALERTS_STREAM)).state.messages;

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
