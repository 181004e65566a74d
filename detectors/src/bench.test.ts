import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Alert, DEMO_SITE_URL, parseSiteModel } from '@wachtpost/contracts';
import { createEngine, runDetect, syntheticEvents } from './index';

const demo = parseSiteModel(readFileSync(DEMO_SITE_URL, 'utf8'), 'demo.yaml');

describe('benchmark pieces', () => {
  it('synthetic traffic is deterministic and valid for the demo site', () => {
    const a = syntheticEvents(demo, { count: 2_000, seed: 7 });
    expect(a).toEqual(syntheticEvents(demo, { count: 2_000, seed: 7 }));
    expect(new Set(a.map((e) => e.kind))).toEqual(new Set(['heartbeat', 'gsm', 'drone', 'roster', 'search']));
  });

  it('runDetect pushes events through the engine and reports what happened (timing is the harness job)', () => {
    const engine = createEngine([demo]);
    const run = runDetect(engine, syntheticEvents(demo, { count: 20_000, seed: 3 }));
    expect(run).toMatchObject({ events: 20_000, late: 0, duplicates: 0 });
    expect(run.changes).toBeGreaterThan(0);
    for (const alert of engine.alerts(run.state)) Alert.parse(alert);
  });
});
