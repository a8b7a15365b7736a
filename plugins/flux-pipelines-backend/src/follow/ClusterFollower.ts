import { setMaxListeners } from 'node:events';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import { ClusterDefinition } from '../clusters/ClusterDefinition';
import { FluxClusterWatcher } from '../clusters/FluxClusterWatcher';
import { FluxObjectSink } from '../clusters/FluxObjectSink';
import { sleep } from '../clusters/backoff';
import {
  ClusterLeaseOptions,
  leaseTiming,
  remoteClusterHealth,
} from './clusterLeases';
import { untilAborted } from './untilAborted';

export type { ClusterLeaseOptions } from './clusterLeases';

/**
 * Follows every configured cluster: one {@link FluxClusterWatcher} each. A
 * cluster that cannot be reached does not hold up the others; its health says
 * why.
 *
 * With `leases`, several backend replicas share the clusters: a replica
 * watches a cluster only while it holds the cluster's lease, renews it every
 * few seconds, and stops watching as soon as it lost it or could not renew it
 * before it expires. On stop it gives its leases up, so another replica takes
 * over within `renewEveryMs`; when a replica dies, within `ttlMs +
 * renewEveryMs`. Even while two replicas briefly overlap, nothing is stored
 * twice: observations are unique by key, and deployments are updated under a
 * per-object lock.
 */
export class ClusterFollower {
  private readonly watchers: FluxClusterWatcher[];
  private readonly held = new Set<string>();
  private readonly remoteHealth = new Map<string, ClusterHealth>();
  private abort?: AbortController;
  private keepLeases = false;
  private running?: Promise<unknown>;

  constructor(
    private readonly options: {
      clusters: ClusterDefinition[];
      sink: FluxObjectSink;
      logger: LoggerService;
      leases?: ClusterLeaseOptions;
      /** Whether to watch a cluster's WGE `Pipeline` objects; default all. */
      watchPipelines?: (cluster: string) => boolean;
      /** More to report in a cluster's health (shared with other replicas). */
      extraHealth?: (cluster: string) => Partial<ClusterHealth>;
    },
  ) {
    const { logger } = options;
    this.watchers = options.clusters.map(cluster =>
      FluxClusterWatcher.create({
        cluster,
        sink: options.sink,
        watchPipelines: options.watchPipelines?.(cluster.name) ?? true,
        onInvalid: (name, what, error) =>
          logger.warn(`Skipped ${what} from cluster ${name}: ${error.message}`),
      }),
    );
  }

  start(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    // Every cluster listens on this one signal: many clusters are expected.
    setMaxListeners(0, signal);
    this.running = Promise.all(
      this.watchers.map(w => {
        if (!this.options.leases) return w.run(signal);
        // One listener per cluster on the shared signal.
        const own = new AbortController();
        signal.addEventListener('abort', () => own.abort(), { once: true });
        return this.followLeased(w, own.signal);
      }),
    );
  }

  /**
   * Stops watching and gives up the leases held. `keepLeases` leaves them to
   * expire, as a crashed replica would (for tests).
   */
  async stop(options: { keepLeases?: boolean } = {}): Promise<void> {
    this.keepLeases = options.keepLeases ?? false;
    this.abort?.abort();
    await this.running;
    this.abort = undefined;
    this.running = undefined;
  }

  /** The clusters this replica watches now. */
  watching(): string[] {
    return this.watchers
      .map(w => w.cluster)
      .filter(c => !this.options.leases || this.held.has(c));
  }

  health(): ClusterHealth[] {
    return this.watchers.map(w => {
      if (this.options.leases && !this.held.has(w.cluster)) {
        return (
          this.remoteHealth.get(w.cluster) ?? {
            name: w.cluster,
            connected: false,
            lastError: 'Not watched by any backend replica yet',
          }
        );
      }
      return this.toHealth(w);
    });
  }

  /** Takes the cluster's lease when free, watches while holding it, gives it up on stop. */
  private async followLeased(
    watcher: FluxClusterWatcher,
    stopped: AbortSignal,
  ): Promise<void> {
    const leases = this.options.leases!;
    const { ttl, every } = leaseTiming(leases);
    const cluster = watcher.cluster;
    const { logger } = this.options;

    /** Whether we hold the lease now; undefined when the database could not say. */
    const acquire = async (
      signal: AbortSignal,
    ): Promise<boolean | undefined> => {
      try {
        return await untilAborted(
          leases.store.acquire(cluster, leases.holder, ttl, {
            health: this.toHealth(watcher),
          }),
          signal,
        );
      } catch (error) {
        logger.warn(
          `Could not take or renew the lease of cluster ${cluster}: ${error}`,
        );
        return undefined;
      }
    };

    while (!stopped.aborted) {
      const startedAt = Date.now();
      if (!(await acquire(stopped))) {
        await this.readRemoteHealth(cluster);
        await sleep(every, stopped);
        continue;
      }
      // Holding it: watch until stopped, or until the lease is lost or about
      // to expire unrenewed (another replica may take it then), even while a
      // renewal hangs.
      this.held.add(cluster);
      logger.info(`Watching cluster ${cluster} as ${leases.holder}`);
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
      expireAt(startedAt + ttl - every);
      const running = watcher.run(watch.signal);
      while (!watch.signal.aborted) {
        await sleep(every, watch.signal);
        if (watch.signal.aborted) break;
        const renewStart = Date.now();
        const renewed = await acquire(watch.signal);
        if (renewed) {
          expireAt(renewStart + ttl - every);
        } else if (renewed === false && !watch.signal.aborted) {
          logger.warn(
            `Stopped watching cluster ${cluster}: another backend replica took it over`,
          );
          watch.abort();
        }
      }
      clearTimeout(expiry);
      this.held.delete(cluster);
      stopped.removeEventListener('abort', stopWatch);
      await running;
    }
    if (this.keepLeases) return;
    try {
      await leases.store.release(cluster, leases.holder);
    } catch (error) {
      logger.warn(
        `Could not give up the lease of cluster ${cluster}: ${error}`,
      );
    }
  }

  private toHealth(w: FluxClusterWatcher): ClusterHealth {
    const h = w.health();
    return {
      ...this.options.extraHealth?.(h.cluster),
      name: h.cluster,
      connected: h.connected,
      lastEventAt: h.lastEventAt?.toISOString(),
      lastError: h.lastError,
    };
  }

  private async readRemoteHealth(cluster: string) {
    try {
      const lease = await this.options.leases!.store.get(cluster);
      this.remoteHealth.set(cluster, remoteClusterHealth(cluster, lease));
    } catch {
      // keep what was last known
    }
  }
}
