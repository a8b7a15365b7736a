import { LoggerService } from '@backstage/backend-plugin-api';
import { sleep } from '../clusters/backoff';
import { ReplicaStore } from '../database/ReplicaStore';
import { assignClusters } from './clusterAssignment';

/** How long a new replica waits for the others to announce themselves, at most. */
const GRACE_MS = 1000;

/**
 * This replica's view of the replicas sharing the clusters: it announces
 * itself every renew interval, reads who else is live, and says which live
 * replica each cluster should go to ({@link assignClusters}). A replica that
 * finds others live when it first announces itself answers only a renew
 * interval (at most a second) later, so that replicas started together mostly
 * agree before they take anything; a lone one answers at once, so a single
 * backend starts watching as soon as it starts.
 */
export class ReplicaMembership {
  private assignment?: Map<string, string>;
  private live = '';
  private known!: () => void;
  /** Settles once the assignment is known. */
  readonly ready = new Promise<void>(resolve => {
    this.known = resolve;
  });

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
      // Alone, it starts at once; among others it first waits for those
      // started with it (an interval, at most a second).
      const waits = !announced && !!live && live.length > 1;
      if (live && !waits) this.update(live);
      announced ||= !!live;
      await sleep(waits ? Math.min(everyMs, GRACE_MS) : everyMs, signal);
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
    this.known();
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
