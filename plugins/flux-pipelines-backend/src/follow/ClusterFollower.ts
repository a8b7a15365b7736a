import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterHealth } from '@internal/plugin-flux-pipelines-common';
import { ClusterDefinition } from '../clusters/ClusterDefinition';
import { FluxClusterWatcher } from '../clusters/FluxClusterWatcher';
import { FluxObjectSink } from '../clusters/FluxObjectSink';

/**
 * Follows every configured cluster: one {@link FluxClusterWatcher} each,
 * started together and stopped together. A cluster that cannot be reached
 * does not hold up the others; its health says why.
 */
export class ClusterFollower {
  private readonly watchers: FluxClusterWatcher[];
  private abort?: AbortController;
  private running?: Promise<unknown>;

  constructor(options: {
    clusters: ClusterDefinition[];
    sink: FluxObjectSink;
    logger: LoggerService;
  }) {
    const { logger } = options;
    this.watchers = options.clusters.map(cluster =>
      FluxClusterWatcher.create({
        cluster,
        sink: options.sink,
        onInvalid: (name, what, error) =>
          logger.warn(`Skipped ${what} from cluster ${name}: ${error.message}`),
      }),
    );
  }

  start(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.running = Promise.all(this.watchers.map(w => w.run(signal)));
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
  }

  health(): ClusterHealth[] {
    return this.watchers.map(w => {
      const h = w.health();
      return {
        name: h.cluster,
        connected: h.connected,
        lastEventAt: h.lastEventAt?.toISOString(),
        lastError: h.lastError,
      };
    });
  }
}
