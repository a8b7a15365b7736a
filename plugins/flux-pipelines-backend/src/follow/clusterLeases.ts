import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import { ClusterLease, ClusterLeaseStore } from '../database/ClusterLeaseStore';
import { ReplicaStore } from '../database/ReplicaStore';

/** How replicas share the clusters through leases. */
export interface ClusterLeaseOptions {
  store: ClusterLeaseStore;
  /** This replica's identity; unique per process. */
  holder: string;
  /**
   * How long a lease lasts without renewal: the longest a cluster goes
   * unwatched after its replica died. Default 30 s.
   */
  ttlMs?: number;
  /** How often the holder renews and the others try to take over. Default 5 s. */
  renewEveryMs?: number;
  /**
   * The live replicas, announced with the same timing: the clusters are
   * spread evenly over them. Without, whoever takes a cluster first keeps it.
   */
  replicas?: ReplicaStore;
}

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_RENEW_MS = 5_000;

/**
 * How long a lease lasts (`ttl`) and how often it is renewed (`every`): at
 * least three renewals fit in one lease.
 */
export function leaseTiming(leases: ClusterLeaseOptions): {
  ttl: number;
  every: number;
} {
  const ttl = leases.ttlMs ?? DEFAULT_TTL_MS;
  const every = Math.min(leases.renewEveryMs ?? DEFAULT_RENEW_MS, ttl / 3);
  return { ttl, every };
}

/**
 * The health of a cluster another replica watches, as its lease reports it;
 * not connected once the lease expired or when nobody holds one.
 */
export function remoteClusterHealth(
  cluster: string,
  lease: ClusterLease | undefined,
): ClusterHealth {
  const expired = !lease || lease.expiresAt.getTime() < Date.now();
  return {
    ...(lease?.health ?? {}),
    name: cluster,
    connected: !expired && !!lease?.health?.connected,
    ...(expired
      ? {
          lastError: lease
            ? 'Not watched: the backend replica watching it stopped renewing its lease'
            : 'Not watched by any backend replica at the moment',
        }
      : {}),
  };
}
