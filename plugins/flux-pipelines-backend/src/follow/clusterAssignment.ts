import { createHash } from 'node:crypto';

/**
 * How much a replica wants a cluster (rendezvous hashing): every replica
 * computes the same figure from the two names alone.
 */
function weight(cluster: string, replica: string): string {
  return createHash('sha256').update(`${cluster}\n${replica}`).digest('hex');
}

/** The replicas in the order they want `cluster`, the highest weight first. */
export function rankReplicas(cluster: string, replicas: string[]): string[] {
  return replicas
    .map(replica => ({ replica, w: weight(cluster, replica) }))
    .sort((x, y) => {
      if (x.w !== y.w) return x.w < y.w ? 1 : -1;
      return x.replica < y.replica ? -1 : 1;
    })
    .map(x => x.replica);
}

/**
 * Which live replica should watch each cluster: the rendezvous-hash winner
 * that still has room, where room keeps the spread even (every replica gets
 * ⌊clusters / replicas⌋ or one more). The same inputs give the same answer on
 * every replica, whatever the order they were listed in; a replica joining or
 * leaving moves few clusters.
 */
export function assignClusters(
  clusters: string[],
  replicas: string[],
): Map<string, string> {
  const assignment = new Map<string, string>();
  const live = [...new Set(replicas)];
  if (live.length === 0) return assignment;
  const sorted = [...new Set(clusters)].sort();
  const base = Math.floor(sorted.length / live.length);
  let extra = sorted.length % live.length;
  const load = new Map(live.map(r => [r, 0]));
  for (const cluster of sorted) {
    const limit = extra > 0 ? base + 1 : base;
    const winner = rankReplicas(cluster, live).find(r => load.get(r)! < limit)!;
    load.set(winner, load.get(winner)! + 1);
    if (load.get(winner)! > base) extra--;
    assignment.set(cluster, winner);
  }
  return assignment;
}
