import { assignClusters } from './clusterAssignment';

const clusters = Array.from({ length: 20 }, (_, i) => `cluster-${i}`);

const loads = (assignment: Map<string, string>, replicas: string[]) =>
  replicas.map(r => [...assignment.values()].filter(v => v === r).length);

describe('assignClusters', () => {
  it('gives every cluster to one live replica, spread evenly', () => {
    for (const replicas of [
      ['a'],
      ['a', 'b'],
      ['a', 'b', 'c'],
      ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'],
    ]) {
      const assignment = assignClusters(clusters, replicas);
      expect([...assignment.keys()].sort()).toEqual([...clusters].sort());
      const load = loads(assignment, replicas);
      expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
    }
    expect(
      loads(assignClusters(clusters.slice(0, 6), ['a', 'b', 'c']), [
        'a',
        'b',
        'c',
      ]),
    ).toEqual([2, 2, 2]);
  });

  it('gives the same answer on every replica, whatever order each listed them in', () => {
    const one = assignClusters(clusters, ['a', 'b', 'c']);
    const other = assignClusters([...clusters].reverse(), ['c', 'a', 'b', 'a']);
    expect(other).toEqual(one);
  });

  it('moves few clusters when a replica joins or leaves', () => {
    const before = assignClusters(clusters, ['a', 'b', 'c', 'd']);
    const after = assignClusters(clusters, ['a', 'b', 'c', 'd', 'e']);
    const moved = clusters.filter(c => before.get(c) !== after.get(c));
    // the newcomer's share, and at most a few more to even out the load
    expect(moved.length).toBeLessThanOrEqual(20 / 5 + 3);
    const left = assignClusters(clusters, ['a', 'b', 'd']);
    const kept = clusters.filter(
      c => before.get(c) !== 'c' && before.get(c) === left.get(c),
    );
    expect(kept.length).toBeGreaterThanOrEqual(15 - 4);
  });

  it('assigns nothing without live replicas', () => {
    expect(assignClusters(clusters, []).size).toBe(0);
  });
});
