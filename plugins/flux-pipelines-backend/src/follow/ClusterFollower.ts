import { setMaxListeners } from 'node:events';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import { ClusterDefinition } from '../clusters/ClusterDefinition';
import { FluxClusterWatcher } from '../clusters/FluxClusterWatcher';
import { FluxObjectSink } from '../clusters/FluxObjectSink';
import { ListPageGate } from '../clusters/ListPageGate';
import { ClusterLeaseOptions, leaseTiming } from './clusterLeases';
import { followLeased } from './followLeased';
import { ReplicaMembership } from './ReplicaMembership';

/**
 * List pages (500 objects each) held at once across all clusters: four
 * lists go on at a time, each with its next page on the way while one is
 * handled; more would only wait in the one ingest queue. (Measured: 4 and 8
 * hold the same after a sync of 10 clusters; 8 does not slow the first sync.)
 */
const LIST_PAGES_HELD = 8;

export type { ClusterLeaseOptions } from './clusterLeases';

/**
 * Follows every configured cluster: one {@link FluxClusterWatcher} each. A
 * cluster that cannot be reached does not hold up the others; its health says
 * why.
 *
 * With `leases`, several backend replicas share the clusters: a replica
 * watches a cluster only while it holds the cluster's lease, renews it every
 * few seconds, and stops watching as soon as it lost it or could not renew it
 * before it expires ({@link followLeased}). With `leases.replicas` the
 * clusters are spread evenly over the live replicas and re-spread when one
 * joins or leaves ({@link ReplicaMembership}). On stop a replica gives its
 * leases up, so another takes over within a few `renewEveryMs`; when a
 * replica dies, within `ttlMs` and a few `renewEveryMs`. Even while two replicas briefly overlap, nothing is stored
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
    const pageGate = new ListPageGate(LIST_PAGES_HELD);
    this.watchers = options.clusters.map(cluster =>
      FluxClusterWatcher.create({
        cluster,
        sink: options.sink,
        pageGate,
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
    const { leases, logger } = this.options;
    const membership = this.membership();
    this.running = Promise.all([
      membership?.run(signal, () => this.keepLeases),
      ...this.watchers.map(w => {
        if (!leases) return w.run(signal);
        // One listener per cluster on the shared signal.
        const own = new AbortController();
        signal.addEventListener('abort', () => own.abort(), { once: true });
        return followLeased(
          {
            watcher: w,
            leases,
            membership,
            logger,
            health: () => this.toHealth(w),
            onWatching: watching =>
              watching ? this.held.add(w.cluster) : this.held.delete(w.cluster),
            onRemoteHealth: health => this.remoteHealth.set(w.cluster, health),
            keepLeases: () => this.keepLeases,
          },
          own.signal,
        );
      }),
    ]);
  }

  /** With leases and a replica store: the replicas spreading the clusters. */
  private membership(): ReplicaMembership | undefined {
    const { leases, logger } = this.options;
    if (!leases?.replicas) return undefined;
    const { ttl, every } = leaseTiming(leases);
    return new ReplicaMembership({
      store: leases.replicas,
      replica: leases.holder,
      clusters: this.watchers.map(w => w.cluster),
      ttlMs: ttl,
      everyMs: every,
      logger,
    });
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
}
