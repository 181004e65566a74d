import type { SiteSensor } from '@wachtpost/contracts';
import type { Simulation } from './simulation';

const DEGRADED_DETAIL: Record<SiteSensor['kind'], readonly string[]> = {
  drone: ['one antenna channel below threshold', 'GNSS time source lost, running on holdover'],
  gsm: ['band B20 receiver noisy', 'uplink scanner restarted'],
  search: ['registration system slow to answer'],
  roster: ['administration export delayed'],
};

/**
 * Every sensor of the site says it is alive every heartbeatIntervalS. Each sensor has its own phase and a
 * small jitter that never accumulates, so the count over a period is exactly period / interval.
 */
export function startHeartbeats(sim: Simulation): void {
  if (!sim.emits('heartbeat')) return;
  const rng = sim.rng('heartbeats');
  const { heartbeatDegradedShare, heartbeatFaultShare } = sim.rates;
  for (const sensor of sim.site.sensors) {
    const periodMs = sensor.heartbeatIntervalS * 1000;
    const phase = sim.from + Math.floor(rng.float() * periodMs);
    const jitterMs = Math.min(500, periodMs / 10);
    const beat = (k: number) => {
      const nominal = phase + k * periodMs;
      const at = Math.round(nominal + (rng.float() - 0.5) * jitterMs);
      sim.schedule(at, () => {
        beat(k + 1);
        const r = rng.float();
        const status =
          r < heartbeatFaultShare
            ? 'fault'
            : r < heartbeatFaultShare + heartbeatDegradedShare
              ? 'degraded'
              : 'ok';
        return {
          kind: 'heartbeat',
          sensorId: sensor.id,
          status,
          intervalS: sensor.heartbeatIntervalS,
          ...(status === 'degraded' && { detail: rng.pick(DEGRADED_DETAIL[sensor.kind]) }),
          ...(status === 'fault' && { detail: 'self-test failed; restarting' }),
        };
      });
    };
    beat(0);
  }
}
