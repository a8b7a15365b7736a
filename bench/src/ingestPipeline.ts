import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { readClusters } from '../../plugins/flux-pipelines-backend/src/clusters/readClusters';
import { PipelineSources } from '../../plugins/flux-pipelines-backend/src/config/readPipelineSources';
import { DeploymentTracker } from '../../plugins/flux-pipelines-backend/src/correlate/DeploymentTracker';
import { DatabaseAppLabelStore } from '../../plugins/flux-pipelines-backend/src/database/DatabaseAppLabelStore';
import { DatabasePipelineStore } from '../../plugins/flux-pipelines-backend/src/database/DatabasePipelineStore';
import { DatabaseTargetTransactions } from '../../plugins/flux-pipelines-backend/src/database/DatabaseTargetTransactions';
import type { PipelineStore } from '../../plugins/flux-pipelines-backend/src/database/PipelineStore';
import type { TargetTransactions } from '../../plugins/flux-pipelines-backend/src/database/TargetTransactions';
import { ClusterFollower } from '../../plugins/flux-pipelines-backend/src/follow/ClusterFollower';
import { FluxIngestSink } from '../../plugins/flux-pipelines-backend/src/follow/FluxIngestSink';
import { MemoryTargetTransactions } from './memoryStores';
import { SimCluster } from './SimHost';

/** A logger that keeps warnings and errors (a benchmark that logs them is broken). */
export function quietLogger(problems: string[] = []): LoggerService {
  const logger: LoggerService = {
    info() {},
    debug() {},
    warn: message => {
      problems.push(`warn: ${message}`);
    },
    error: message => {
      problems.push(`error: ${message}`);
    },
    child: () => logger,
  };
  return logger;
}

/** The kubernetes config entries for stand-in clusters, as the plugin reads them. */
export function kubernetesClusterConfig(clusters: SimCluster[]) {
  return clusters.map(c => ({
    name: c.name,
    url: c.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: c.token,
    skipTLSVerify: true,
  }));
}

/**
 * The plugin's ingest path wired as plugin.ts wires it: ClusterFollower (one
 * FluxClusterWatcher per cluster, @kubernetes/client-node list + watch) →
 * FluxIngestSink (normaliser) → DeploymentTracker (correlator) → the
 * database stores in one transaction per object. With `knex` undefined, the
 * stores are in memory. `observations` counts what the tracker recorded.
 */
export function createIngestPipeline(options: {
  clusters: SimCluster[];
  knex?: Knex;
  problems: string[];
}) {
  const logger = quietLogger(options.problems);
  const memory = options.knex ? undefined : new MemoryTargetTransactions();
  const inner: TargetTransactions = options.knex
    ? new DatabaseTargetTransactions(options.knex)
    : memory!;
  let observations = 0;
  let waiter: { count: number; resolve(): void } | undefined;
  // Counts what each committed unit recorded; changes nothing else.
  const transactions: TargetTransactions = {
    run: (refs, work) =>
      inner
        .run(refs, stores =>
          work({
            ...stores,
            observations: {
              ...stores.observations,
              record: async items => {
                const fresh = await stores.observations.record(items);
                observations += fresh.length;
                return fresh;
              },
              listForObject: (r, o) => stores.observations.listForObject(r, o),
              deleteOlderThan: t => stores.observations.deleteOlderThan(t),
            },
          }),
        )
        .finally(() => {
          if (waiter && observations >= waiter.count) waiter.resolve();
        }),
  };
  const tracker = new DeploymentTracker({ transactions, logger });
  const config = new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [
        { type: 'config', clusters: kubernetesClusterConfig(options.clusters) },
      ],
    },
  });
  const pipelines: PipelineStore = options.knex
    ? new DatabasePipelineStore(options.knex)
    : ({ replacePipelines: async () => undefined } as unknown as PipelineStore);
  const follower = new ClusterFollower({
    clusters: readClusters(config),
    sink: new FluxIngestSink({
      tracker,
      pipelines,
      // The benchmark measures ingest: no Pipeline objects are read.
      pipelineSources: PipelineSources.of([]),
      appLabels: options.knex
        ? new DatabaseAppLabelStore(options.knex)
        : undefined,
      logger,
    }),
    logger,
  });
  return {
    follower,
    observations: () => observations,
    /** Resolves once `count` observations were recorded in all. */
    untilObservations(count: number, timeoutMs: number): Promise<void> {
      if (observations >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `only ${observations} of ${count} observations after ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiter = undefined;
            resolve();
          },
        };
      });
    },
  };
}

/** Resolves once every cluster's watches are connected (lists done, watches open). */
export async function untilConnected(
  follower: ClusterFollower,
  timeoutMs = 60_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!follower.health().every(h => h.connected)) {
    if (Date.now() > end) {
      throw new Error(
        `clusters not connected: ${JSON.stringify(follower.health())}`,
      );
    }
    await new Promise(r => setTimeout(r, 20));
  }
}
