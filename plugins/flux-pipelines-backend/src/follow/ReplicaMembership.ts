import { LoggerService } from '@backstage/backend-plugin-api';
import { sleep } from '../clusters/backoff';
import { ReplicaStore } from '../database/ReplicaStore';
import { assignClusters } from './clusterAssignment';

/**
 * This replica's view of the replicas sharing the clusters: it announces
 * itself every renew interval, reads who else is live, and says which live
 * replica each cluster should go to ({@link assignClusters}). It answers only
 * once it has been announced for one interval, so replicas started together
 * agree before they take anything instead of handing clusters back and forth.
 */
export class ReplicaMembership {
  private assignment?: Map<string, string>;
  private live = '';

  constructor(
    private readonly options: {
      store: ReplicaStore;
      replica: string;
      clusters: string[];
      ttlMs: number;
      everyMs: number;
      logger: LoggerService;
    },
  ) {}

  /** The live replica that should watch `cluster`; undefined while not known yet. */
  preferred(cluster: string): string | undefined {
    return this.assignment?.get(cluster);
  }

  /** The live replicas as last read (their ids, comma-separated). */
  liveReplicas(): string {
    return this.live;
  }

  /**
   * Announces this replica until `signal` aborts, then withdraws it unless
   * `keep()` says to let it expire (as a crashed replica would, for tests).
   */
  async run(signal: AbortSignal, keep: () => boolean): Promise<void> {
    const { everyMs } = this.options;
    let announced = false;
    while (!signal.aborted) {
      const live = await this.heartbeat();
      if (live && announced) this.update(live);
      announced ||= !!live;
      await sleep(everyMs, signal);
    }
    this.assignment = undefined;
    if (keep()) return;
    try {
      await this.options.store.leave(this.options.replica);
    } catch (error) {
      this.options.logger.warn(
        `Could not withdraw backend replica ${this.options.replica}: ${error}`,
      );
    }
  }

  private async heartbeat(): Promise<string[] | undefined> {
    const { store, replica, ttlMs, logger } = this.options;
    try {
      return await store.heartbeat(replica, ttlMs);
    } catch (error) {
      // keeps the last assignment: the leases decide who may watch
      logger.warn(`Could not announce backend replica ${replica}: ${error}`);
      return undefined;
    }
  }

  private update(live: string[]) {
    const { replica, clusters, logger } = this.options;
    this.assignment = assignClusters(clusters, live);
    const key = live.join(',');
    if (key === this.live) return;
    this.live = key;
    const mine = clusters.filter(c => this.assignment!.get(c) === replica);
    logger.info(
      `Backend replicas sharing the clusters are now ${key}: ${replica} should watch ${mine.length} of ${clusters.length}`,
      { replica, replicas: key, clusters: mine.join(',') },
    );
  }
}
