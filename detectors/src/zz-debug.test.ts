import { it } from 'vitest';
import { SPOTS, drone, gsm, harness } from './testing/fixtures';
it('debug', () => {
  const h = harness();
  const ch = h.run(
    [
      drone('d1', '2026-06-01T22:00:00.000Z', 'T1', SPOTS.overA),
      gsm('g1', '2026-06-01T22:30:00.000Z', 'a-02'),
    ],
    { heartbeatEveryMin: 60 },
  );
  console.log(ch.map((c) => c.alert.rule + ' ' + c.change));
  const lane = h.state.lanes['pi-test/live']!;
  console.log(
    JSON.stringify(lane.contraband),
    lane.clock.watermark && new Date(lane.clock.watermark).toISOString(),
    lane.buffer.length,
    h.engine.lanes(h.state),
  );
});
