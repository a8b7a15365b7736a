import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';

/** Who watches a cluster, until when, and the health it last reported. */
export interface ClusterLease {
  cluster: string;
  holder: string;
  expiresAt: Date;
  health?: ClusterHealth;
}

/**
 * Leases that let several backend replicas share the clusters: one holder
 * per cluster at a time; another may take over once the lease expired.
 */
export interface ClusterLeaseStore {
  /**
   * Takes the cluster's lease for `holder`, or renews it when `holder` has it,
   * until `now + ttlMs`. Returns whether `holder` now holds it. `health` is
   * stored with the lease for the other replicas' `/health`.
   */
  acquire(
    cluster: string,
    holder: string,
    ttlMs: number,
    options?: { now?: Date; health?: ClusterHealth },
  ): Promise<boolean>;
  /** Gives up the lease, when `holder` has it, so another replica takes over at once. */
  release(cluster: string, holder: string): Promise<void>;
  /** The lease of one cluster, if any. */
  get(cluster: string): Promise<ClusterLease | undefined>;
}
