import { alertSubject } from '@wachtpost/contracts';
import type { Registry } from '@wachtpost/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestPublished, startDetectorsHarness, type DetectorsHarness } from '../support/detectors';
import { metricValue } from '../support/harness';
import {
  alertIdOf,
  droneDropScenario,
  phoneFollowsScenario,
  searchMissedScenario,
  sensorOutageScenario,
  type Scenario,
} from '../support/scenarios';

/**
 * Scenario acceptance, end to end: each story is published on sensors.v1.> into a private NATS, correlated
 * by a detectors worker, stored in a private database and published on alerts.v1.>. Each states the alerts
 * it must raise (rule, key, severity, status) and no other.
 */
function acceptance(make: () => Scenario, more?: (h: () => DetectorsHarness) => void) {
  const scenario = make();
  describe(scenario.name, () => {
    let h: DetectorsHarness;
    let registry: Registry;
    beforeAll(async () => {
      h = await startDetectorsHarness();
      ({ registry } = await h.startDetectors());
      await h.publishEvents(scenario.events);
      await h.waitDetectorsIdle();
    });
    afterAll(() => h.close());

    it('stores exactly the expected alerts', async () => {
      const stored = await h.alerts();
      expect(
        stored.map(({ alertId, rule, severity, status }) => ({ alertId, rule, severity, status })),
      ).toEqual(
        scenario.expected
          .map((e) => ({ alertId: alertIdOf(e), rule: e.rule, severity: e.severity, status: e.status }))
          .sort((a, b) => a.alertId.localeCompare(b.alertId)),
      );
      for (const alert of stored) expect(alert.body).toMatchObject({ exercise: true, rev: alert.rev });
    });

    it('publishes every revision once, in order, on the alert subject, ending in the stored state', async () => {
      const published = await h.published();
      const stored = await h.alerts();
      const latest = latestPublished(published);
      expect([...latest.keys()].sort()).toEqual(stored.map((a) => a.alertId));
      for (const alert of stored) expect(latest.get(alert.alertId)).toEqual(alert.body);

      const ids = published.map((p) => `${p.alert.alertId}:${p.alert.rev}`);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of published) {
        expect(p.msgId).toBe(`${p.alert.alertId}:${p.alert.rev}`);
        expect(p.subject).toBe(alertSubject(p.alert.siteId, p.alert.wingId));
      }
      for (const alertId of latest.keys()) {
        const revs = published.filter((p) => p.alert.alertId === alertId).map((p) => p.alert.rev);
        expect(revs).toEqual(revs.map((_, i) => i + 1));
      }
      const history = await h.history();
      expect(history.map((r) => `${r.alertId}:${r.rev}`).sort()).toEqual([...ids].sort());
    });

    it('counts the alerts it raised', async () => {
      const history = await h.history();
      for (const e of scenario.expected) {
        const raised = history.filter(
          (r) =>
            r.alertId === alertIdOf(e) &&
            r.body.severity === e.severity &&
            (r.change === 'opened' || r.change === 'escalated'),
        ).length;
        expect(
          await metricValue(registry, 'wachtpost_alerts_total', { rule: e.rule, severity: e.severity }),
        ).toBe(raised);
      }
      const latency = await registry.getSingleMetric('wachtpost_alert_latency_seconds')?.get();
      const count = latency?.values.find(
        (v) => (v as { metricName?: string }).metricName === 'wachtpost_alert_latency_seconds_count',
      );
      expect(count?.value).toBeGreaterThan(0);
    });

    more?.(() => h);
  });
}

describe('detectors scenarios', () => {
  acceptance(droneDropScenario, (h) => {
    it('names the wing and cell of the delivery and the drone evidence', async () => {
      const [alert] = (await h().alerts()).filter((a) => a.rule === 'contraband-delivery');
      expect(alert?.body).toMatchObject({ wingId: 'a', cellIds: ['a-05'] });
      expect(alert?.body.evidence).toEqual(expect.arrayContaining(['dd-radar-0', 'dd-gsm-1']));
    });
  });

  acceptance(phoneFollowsScenario, (h) => {
    it('names the detainee and both cells, raised when the old cell had been quiet for 48 hours', async () => {
      const [alert] = await h().alerts();
      expect(alert?.body).toMatchObject({
        detaineeIds: ['det-0042'],
        cellIds: ['a-12', 'b-07'],
        wingId: 'b',
        evidence: ['pf-a-1', 'pf-a-2', 'pf-move', 'pf-b-1'],
      });
      const move = Date.parse(phoneFollowsScenario().events.find((e) => e.eventId === 'pf-move')!.observedAt);
      expect(Date.parse(alert!.body.openedAt)).toBe(move + 48 * 3_600_000);
    });
  });

  acceptance(searchMissedScenario);

  acceptance(sensorOutageScenario, (h) => {
    it('opened, then resolved itself when the sensor returned, with the outcome stored', async () => {
      const history = await h().history();
      expect(history.map((r) => [r.rev, r.change, r.body.status])).toEqual([
        [1, 'opened', 'open'],
        [2, 'resolved', 'resolved'],
      ]);
      const { rows } = await h().pool.query<{ result: string; sensor_ids: string[]; rule: string }>(
        'SELECT result, sensor_ids, rule FROM alert_outcomes',
      );
      expect(rows).toEqual([{ result: 'auto', sensor_ids: ['gsm-d-1'], rule: 'sensor-offline' }]);
    });
  });
});
