import { mockServices } from '@backstage/backend-test-utils';
import { ClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { clusterFor } from '../../../clusters/__testUtils__/sim';
import { PipelineSources } from '../../../config/readPipelineSources';
import { DeploymentTracker } from '../../../correlate/DeploymentTracker';
import { DatabaseAppLabelStore } from '../../../database/DatabaseAppLabelStore';
import { DatabaseClusterLeaseStore } from '../../../database/DatabaseClusterLeaseStore';
import { DatabasePipelineStore } from '../../../database/DatabasePipelineStore';
import { DatabaseReplicaStore } from '../../../database/DatabaseReplicaStore';
import { DatabaseTargetTransactions } from '../../../database/DatabaseTargetTransactions';
import { ClusterFollower } from '../../ClusterFollower';
import { FluxIngestSink } from '../../FluxIngestSink';

/**
 * One backend replica's follower on a shared database (test helper): the
 * real ingest into `knex`, the given clusters of the stand-in `sim`, leases
 * with short timings, and the replicas' membership unless `rebalance` is false.
 */
export function replicaFollower(options: {
  knex: Knex;
  sim: ClusterSim;
  holder: string;
  clusters: string[];
  ttlMs: number;
  renewEveryMs: number;
  rebalance?: boolean;
}): ClusterFollower {
  const { knex, sim, holder, clusters, ttlMs, renewEveryMs } = options;
  const logger = mockServices.logger.mock();
  return new ClusterFollower({
    clusters: clusters.map(name => clusterFor(sim, { name })),
    sink: new FluxIngestSink({
      tracker: new DeploymentTracker({
        transactions: new DatabaseTargetTransactions(knex),
        logger,
      }),
      pipelines: new DatabasePipelineStore(knex),
      pipelineSources: PipelineSources.of(
        clusters.map(cluster => ({ cluster, namespaces: ['flux-system'] })),
      ),
      appLabels: new DatabaseAppLabelStore(knex),
      logger,
    }),
    logger,
    leases: {
      store: new DatabaseClusterLeaseStore(knex),
      holder,
      ttlMs,
      renewEveryMs,
      ...(options.rebalance === false
        ? {}
        : { replicas: new DatabaseReplicaStore(knex) }),
    },
  });
}
