import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { loggedLines, userGet } from '../../__testUtils__/leaks';
import {
  clusterConfig,
  startSim,
} from '../../follow/scenarios/__testUtils__/scenarioHelpers';
import { fluxPipelinesPlugin } from '../../plugin';

const PIPELINE = RESOURCE_TYPES.find(t => t.kind === 'Pipeline')!;

/**
 * A Weave GitOps Pipeline for the HelmRelease podinfo with one environment
 * per name (each targeting the namespace of that name on the same cluster).
 */
export function wgePipelineIn(
  namespace: string,
  name: string,
  environments: string[],
) {
  return {
    apiVersion: 'pipelines.weave.works/v1alpha1',
    kind: 'Pipeline',
    metadata: { namespace, name },
    spec: {
      appRef: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        name: 'podinfo',
      },
      environments: environments.map(env => ({
        name: env,
        targets: [{ namespace: env }],
      })),
    },
  };
}

/** Deletes a Pipeline object from a stand-in, as `kubectl delete` would. */
export function deletePipeline(
  sim: ClusterSim,
  namespace: string,
  name: string,
) {
  sim.store.delete(PIPELINE, namespace, name);
}

/** A stand-in with the namespaces dev, test and prod, no apps, and these objects. */
export function startPipelineSim(objects: JsonObject[] = []) {
  return startSim({
    namespaces: ['dev', 'test', 'prod'],
    objects: objects as any[],
    simulator: false,
  });
}

/**
 * Starts the real plugin on `knex` watching the given stand-ins (by cluster
 * name), with `fluxPipelines.pipelineSources` as given (absent when
 * undefined) and no configured pipelines.
 */
export async function startSourcesBackend(options: {
  knex: Knex;
  clusters: Record<string, ClusterSim>;
  pipelineSources?: JsonObject[];
}) {
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      logger.factory,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: Object.entries(options.clusters).map(([name, sim]) =>
                  clusterConfig(name, sim),
                ),
              },
            ],
          },
          fluxPipelines: options.pipelineSources
            ? { pipelineSources: options.pipelineSources }
            : {},
        },
      }),
    ],
  });
  const get = userGet(backend.server, []);
  /** The stored pipeline's environment names, or undefined when there is none. */
  const environmentsOf = async (namespace: string, name: string) => {
    const res = await get(`/pipelines/${namespace}/${name}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET pipeline: ${res.status}`);
    return (res.body.environments as Array<{ name: string }>).map(e => e.name);
  };
  const clusterHealth = async (cluster: string) => {
    const res = await get('/health');
    return res.body.clusters.find((c: any) => c.name === cluster);
  };
  /** Log lines that mention the Pipeline `namespace/name` of `cluster` as ignored. */
  const ignoredLines = (cluster: string, namespace: string, name: string) =>
    loggedLines(logger).filter(line =>
      line.includes(
        `Ignored the Pipeline ${namespace}/${name} from cluster ${cluster}`,
      ),
    );
  return {
    backend,
    logger,
    get,
    environmentsOf,
    clusterHealth,
    ignoredLines,
    stop: () => backend.stop(),
  };
}
