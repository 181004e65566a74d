import { describe, expect, it } from 'vitest';
import { SPOTS, drone, gsm, harness, search } from '../testing/fixtures';

const nights = ['2026-06-01T21:00:00.000Z', '2026-06-02T21:00:00.000Z', '2026-06-03T21:00:00.000Z'];

describe('search confirmation', () => {
  it('a phone found in the cell resolves persistent-phone as confirmed, with the outcome in the change', () => {
    const run = harness();
    run.run(
      [
        ...nights.map((t, i) => gsm(`g${i}`, t, 'a-01')),
        search('s1', '2026-06-04T12:00:00.000Z', ['a-01'], [{ category: 'phone', cellId: 'a-01' }]),
      ],
      { heartbeatEveryMin: 60 },
    );
    const resolved = run.changesOf('persistent-phone').find((c) => c.change === 'resolved');
    expect(resolved).toMatchObject({
      alert: { status: 'resolved', alertId: 'pi-test:persistent-phone:a-01' },
      outcome: { result: 'confirmed', searchId: 'srch-s1', eventId: 's1', cellId: 'a-01' },
    });
  });

  it.each([
    { name: 'a SIM in the cell', found: [{ category: 'sim' as const, cellId: 'a-01' }], resolves: true },
    { name: 'drugs only', found: [{ category: 'drugs' as const, cellId: 'a-01' }], resolves: false },
    {
      name: 'a phone in another cell',
      found: [{ category: 'phone' as const, cellId: 'a-02' }],
      resolves: false,
    },
  ])('$name -> resolves=$resolves', ({ found, resolves }) => {
    const run = harness();
    run.run(
      [
        ...nights.map((t, i) => gsm(`g${i}`, t, 'a-01')),
        search('s1', '2026-06-04T12:00:00.000Z', ['a-01', 'a-02'], found),
      ],
      {
        heartbeatEveryMin: 60,
      },
    );
    expect(run.alerts('persistent-phone')[0]!.status).toBe(resolves ? 'resolved' : 'open');
  });

  it('a repeat within the cool-down joins the resolved alert; after it, a new occurrence opens', () => {
    const run = harness();
    run.run(
      [
        ...nights.map((t, i) => gsm(`g${i}`, t, 'a-01')),
        search('s1', '2026-06-04T21:00:00.000Z', ['a-01'], [{ category: 'phone', cellId: 'a-01' }]),
        // 5 minutes after the resolve: within the 15-minute cool-down.
        gsm('g8', '2026-06-04T21:05:00.000Z', 'a-01'),
        // 30 minutes after: a second phone in the cell is news again.
        gsm('g9', '2026-06-04T21:30:00.000Z', 'a-01'),
      ],
      { heartbeatEveryMin: 60 },
    );
    const [first, second] = run.alerts('persistent-phone');
    expect(first).toMatchObject({ alertId: 'pi-test:persistent-phone:a-01', status: 'resolved' });
    expect(first!.evidence).toContain('g8');
    expect(second).toMatchObject({ alertId: 'pi-test:persistent-phone:a-01#2', status: 'open' });
    expect(second!.evidence).toContain('g9');
    // A later search that finds another phone confirms only what started before it ended.
    run.run([search('s2', '2026-06-05T10:00:00.000Z', ['a-01'], [{ category: 'phone', cellId: 'a-01' }])]);
    expect(run.changesOf('persistent-phone').at(-1)).toMatchObject({
      change: 'resolved',
      alert: { alertId: 'pi-test:persistent-phone:a-01#2' },
      outcome: { result: 'confirmed', searchId: 'srch-s2' },
    });
  });

  describe('a drop over wing B with a phone in each of two cells (two phones per package)', () => {
    const drop = [
      drone('d1', '2026-06-01T23:00:00.000Z', 'T1', SPOTS.overB),
      drone('d2', '2026-06-01T23:01:00.000Z', 'T1', SPOTS.overB),
      gsm('g1', '2026-06-01T23:30:00.000Z', 'b-01'),
      gsm('g2', '2026-06-01T23:40:00.000Z', 'b-02'),
    ];

    it('a search of one cell that finds its phone leaves the wing alert open: the other phone is still out there', () => {
      const run = harness();
      run.run(
        [
          ...drop,
          search('s1', '2026-06-02T00:30:00.000Z', ['b-01'], [{ category: 'phone', cellId: 'b-01' }]),
          gsm('g3', '2026-06-02T00:50:00.000Z', 'b-02'),
        ],
        { heartbeatEveryMin: 10 },
      );
      const [alert] = run.alerts('contraband-delivery');
      expect(alert).toMatchObject({ status: 'open', cellIds: ['b-01', 'b-02'] });
      expect(alert!.evidence).toContain('g3');
    });

    it('a search of both cells that finds a phone confirms it', () => {
      const run = harness();
      run.run(
        [
          ...drop,
          search('s1', '2026-06-02T02:00:00.000Z', ['b-01', 'b-02'], [{ category: 'phone', cellId: 'b-01' }]),
        ],
        { heartbeatEveryMin: 10 },
      );
      const resolved = run.changesOf('contraband-delivery').find((c) => c.change === 'resolved');
      expect(resolved).toMatchObject({ outcome: { result: 'confirmed', cellId: 'b-01' } });
    });
  });
});
