import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import { FluxClusterWatcher } from '../clusters/FluxClusterWatcher';
import { sleep } from '../clusters/backoff';
import { ClusterLease } from '../database/ClusterLeaseStore';
import {
  ClusterLeaseOptions,
  leaseTiming,
  remoteClusterHealth,
} from './clusterLeases';
import { ReplicaMembership } from './ReplicaMembership';
import { untilAborted } from './untilAborted';

/** What {@link followLeased} needs of its replica. */
export interface LeasedClusterOptions {
  watcher: FluxClusterWatcher;
  leases: ClusterLeaseOptions;
  /** Spreads the clusters over the live replicas; without, first come keeps. */
  membership?: ReplicaMembership;
  logger: LoggerService;
  /** This replica's health of the cluster, stored with the lease. */
  health: () => ClusterHealth;
  /** Whether this replica watches the cluster now. */
  onWatching: (watching: boolean) => void;
  /** The health the holder reported, while another replica watches. */
  onRemoteHealth: (health: ClusterHealth) => void;
  /** On stop: leave the lease to expire, as a crashed replica would. */
  keepLeases: () => boolean;
}

/**
 * Watches one cluster while this replica holds its lease. A free or expired
 * lease is taken only by the replica the cluster should go to, or by anyone
 * once it went unwatched for a full TTL (so nothing stays unwatched when the
 * replicas' views disagree). A holder renews every interval and hands a
 * cluster that should go to another live replica over: it stops watching,
 * then releases, so the other starts within an interval and never while it
 * still watches. On stop it releases its lease.
 */
export async function followLeased(
  options: LeasedClusterOptions,
  stopped: AbortSignal,
): Promise<void> {
  const { watcher, leases, membership, logger } = options;
  const { ttl, every } = leaseTiming(leases);
  const { cluster } = watcher;
  const me = leases.holder;
  let unwatchedSince: number | undefined;
  let lastHolder: string | undefined;

  const warn = (what: string, error: unknown) =>
    logger.warn(`Could not ${what} the lease of cluster ${cluster}: ${error}`);
  /** Whether we hold the lease now; undefined when the database could not say. */
  const acquire = async (signal: AbortSignal) => {
    try {
      return await untilAborted(
        leases.store.acquire(cluster, me, ttl, { health: options.health() }),
        signal,
      );
    } catch (error) {
      warn('take or renew', error);
      return undefined;
    }
  };
  const release = async () => {
    try {
      await leases.store.release(cluster, me);
    } catch (error) {
      warn('give up', error);
    }
  };
  /** Whether to try for the lease, as read now ('unknown' if unreadable). */
  const wants = (lease: ClusterLease | undefined | 'unknown') => {
    if (lease === 'unknown') return !membership;
    const now = Date.now();
    const free = !lease || lease.expiresAt.getTime() < now;
    if (!free && lease.holder !== me) {
      lastHolder = lease.holder;
      unwatchedSince = undefined;
      return !membership; // the store refuses it
    }
    unwatchedSince ??= now;
    if (!membership) return true;
    return membership.preferred(cluster) === me || now - unwatchedSince >= ttl;
  };

  // nothing is taken before the replicas are known
  if (membership) await untilAborted(membership.ready, stopped);
  while (!stopped.aborted) {
    const startedAt = Date.now();
    const lease = await readLease(options);
    if (!wants(lease)) {
      await sleep(every, stopped);
      continue;
    }
    if (!(await acquire(stopped))) {
      await sleep(every, stopped);
      continue;
    }
    const to = await watchWhileHeld(options, stopped, {
      startedAt,
      acquire,
      from: lastHolder,
      adoptedIn:
        membership && membership.preferred(cluster) !== me
          ? membership.liveReplicas()
          : undefined,
    });
    unwatchedSince = undefined;
    lastHolder = me;
    if (to) {
      await release();
      logger.info(
        `Handed cluster ${cluster} over from ${me} to ${to}: it should go to ${to} now`,
        { cluster, from: me, to },
      );
    }
  }
  if (!options.keepLeases()) await release();
}

async function readLease(
  options: LeasedClusterOptions,
): Promise<ClusterLease | undefined | 'unknown'> {
  const { cluster } = options.watcher;
  try {
    const lease = await options.leases.store.get(cluster);
    options.onRemoteHealth(remoteClusterHealth(cluster, lease));
    return lease;
  } catch {
    return 'unknown'; // keep the health last known
  }
}

/**
 * Watches while the lease is renewed; stops when stopped, when the lease is
 * lost or about to expire unrenewed (even while a renewal hangs), or to hand
 * the cluster over. Returns the replica to hand it to, if that is why.
 */
async function watchWhileHeld(
  options: LeasedClusterOptions,
  stopped: AbortSignal,
  held: {
    startedAt: number;
    acquire: (signal: AbortSignal) => Promise<boolean | undefined>;
    from?: string;
    /** Taken though it should go elsewhere: kept until the replicas change. */
    adoptedIn?: string;
  },
): Promise<string | undefined> {
  const { watcher, leases, membership, logger } = options;
  const { ttl, every } = leaseTiming(leases);
  const { cluster } = watcher;
  const me = leases.holder;
  options.onWatching(true);
  logger.info(
    held.from && held.from !== me
      ? `Watching cluster ${cluster} as ${me}, taken over from ${held.from}`
      : `Watching cluster ${cluster} as ${me}`,
    { cluster, holder: me, from: held.from },
  );
  const watch = new AbortController();
  const stopWatch = () => watch.abort();
  stopped.addEventListener('abort', stopWatch, { once: true });
  let expiry: ReturnType<typeof setTimeout> | undefined;
  const expireAt = (validUntil: number) => {
    clearTimeout(expiry);
    expiry = setTimeout(() => {
      if (watch.signal.aborted) return;
      logger.warn(
        `Stopped watching cluster ${cluster}: its lease could not be renewed in time`,
      );
      watch.abort();
    }, Math.max(0, validUntil - Date.now()));
  };
  /** The live replica the cluster should go to instead of this one. */
  const handOverTo = () => {
    const to = membership?.preferred(cluster);
    if (!to || to === me) return undefined;
    if (held.adoptedIn === membership!.liveReplicas()) return undefined;
    return to;
  };
  expireAt(held.startedAt + ttl - every);
  const running = watcher.run(watch.signal);
  let to: string | undefined;
  while (!watch.signal.aborted) {
    await sleep(every, watch.signal);
    if (watch.signal.aborted) break;
    const renewStart = Date.now();
    const renewed = await held.acquire(watch.signal);
    if (renewed) {
      expireAt(renewStart + ttl - every);
      to = handOverTo();
      if (to) watch.abort();
    } else if (renewed === false && !watch.signal.aborted) {
      logger.warn(
        `Stopped watching cluster ${cluster}: another backend replica took it over`,
      );
      watch.abort();
    }
  }
  clearTimeout(expiry);
  stopped.removeEventListener('abort', stopWatch);
  await running;
  options.onWatching(false);
  return stopped.aborted ? undefined : to;
}
