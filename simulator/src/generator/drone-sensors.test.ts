import type { SiteSensor } from '@wachtpost/contracts';
import { describe, expect, it } from 'vitest';
import { droneSensorModels } from './drone-sensors';

const sensor = (id: string): SiteSensor => ({ id, kind: 'drone', zoneIds: [], heartbeatIntervalS: 10 });

describe('droneSensorModels', () => {
  it('reads the detection type from the parts of the id, RF when nothing matches', () => {
    const ids = ['radar-1', 'rf-2', 'rid-1', 'north-cam', 'mic-3', 'fusion', 'pair-ir', 'gate-7'];
    const models = droneSensorModels(ids.map(sensor), 500);
    expect(models.map((m) => m.detection)).toEqual([
      'radar',
      'rf',
      'remote-id',
      'vision',
      'acoustic',
      'fused',
      'vision',
      'rf',
    ]);
  });

  it('spreads the sensors on a ring inside the airspace', () => {
    const models = droneSensorModels([sensor('radar-1'), sensor('rf-1')], 500);
    for (const m of models) expect(Math.hypot(...m.pos)).toBeCloseTo(200);
    expect(models[0]!.pos).not.toEqual(models[1]!.pos);
  });
});
