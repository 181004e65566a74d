import { describe, expect, test } from 'vitest';
import { boundingBox, cellGrid, fitProjection, svgPoints } from './geometry';
import { planModel } from './plan-model';
import { entry, SITE } from './test-support';

describe('site plan geometry', () => {
  test('projects north up, west left, inside the padding, keeping the ground aspect', () => {
    const square: [number, number][] = [
      [51.664, 5.284],
      [51.664, 5.296],
      [51.656, 5.296],
      [51.656, 5.284],
    ];
    const p = fitProjection(square, 1000, 20);
    expect(p.project([51.664, 5.284])).toEqual({ x: 20, y: 20 });
    const se = p.project([51.656, 5.296]);
    expect(se.x).toBeCloseTo(980);
    expect(se.y).toBeCloseTo(p.height - 20, 0);
    // 0.012° of longitude at 51.66° N is 0.00745° of latitude: wider than high, by cos(lat).
    const groundRatio = (0.012 * Math.cos((51.66 * Math.PI) / 180)) / 0.008;
    expect((se.x - 20) / (se.y - 20)).toBeCloseTo(groundRatio, 2);
    expect(svgPoints(square.slice(0, 2), p.project)).toBe('20,20 980,20');
  });

  test('lays out cells in a grid within a box', () => {
    const cells = cellGrid({ x: 0, y: 0, width: 100, height: 50 }, 8, 0);
    expect(cells).toHaveLength(8);
    const box = boundingBox(cells.flatMap((c) => [c, { x: c.x + c.width, y: c.y + c.height }]));
    expect(box).toEqual({ x: 0, y: 0, width: 100, height: 50 });
    expect(new Set(cells.map((c) => `${c.x},${c.y}`)).size).toBe(8);
  });

  test('the plan marks the alert wing and cells and draws drone tracks', () => {
    const alert = entry({ wingId: 'a', cellIds: ['a-03'] }).alert;
    const plan = planModel(SITE, alert, [
      {
        v: 1,
        eventId: 'e1',
        kind: 'drone',
        siteId: 'demo',
        sensorId: 'radar-1',
        observedAt: '2026-03-01T02:00:00.000Z',
        exercise: false,
        trackId: 't1',
        phase: 'start',
        detection: 'radar',
        category: 'drone',
        position: { lat: 51.67, lon: 5.28 },
      },
    ]);
    const wingA = plan.wings.find((w) => w.wingId === 'a')!;
    expect(wingA.highlight).toBe(true);
    expect(wingA.cells.filter((c) => c.highlight).map((c) => c.cellId)).toEqual(['a-03']);
    // Wing b has no footprint: nothing to draw.
    expect(plan.wings.map((w) => w.wingId)).toEqual(['a']);
    expect(plan.zones.map((z) => z.zoneId)).toEqual(['yard-1']);
    // A track outside the airspace still fits in the frame.
    const [dot] = plan.tracks[0]!.dots;
    expect(dot!.x).toBeGreaterThanOrEqual(0);
    expect(dot!.y).toBeGreaterThanOrEqual(0);
  });
});
