/**
 * What the fleet benchmark runs: HelmReleases spread over the stand-in
 * clusters and namespaces, the pipelines (and their catalog entities) the
 * entity page and the freshness probes use, and the replicas' config.
 */
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { kubernetesClusterConfig } from './ingestPipeline';
import { SimCluster } from './SimHost';

export const NAMESPACES = Array.from({ length: 10 }, (_, i) => `team-${i}`);
const ENVIRONMENTS = ['dev', 'test', 'prod'];
const MAX_PIPELINES = 20;

/** Per cluster, its HelmReleases [namespace, name]: `releases` in all. */
export function spreadReleases(releases: number, clusters: number) {
  const perCluster = Math.ceil(releases / clusters);
  return Array.from({ length: clusters }, (_, c) =>
    Array.from(
      { length: Math.max(0, Math.min(perCluster, releases - c * perCluster)) },
      (_unused, k): [string, string] => [
        NAMESPACES[k % NAMESPACES.length],
        `app-${Math.floor(k / NAMESPACES.length)}`,
      ],
    ),
  );
}

/** The target of pipeline `i` in environment `e`: namespace team-e on a cluster of its own. */
export function targetOf(i: number, e: number, clusters: number) {
  return {
    cluster: (i * ENVIRONMENTS.length + e) % clusters,
    namespace: NAMESPACES[e],
    name: `app-${i}`,
  };
}

/** How many pipelines fit: app-i must exist in team-0..2 of every cluster. */
export function pipelineCount(releases: number, clusters: number): number {
  const perCluster = Math.floor(releases / clusters);
  return Math.max(1, Math.min(MAX_PIPELINES, Math.floor(perCluster / 10)));
}

export function fleetPipelines(count: number, clusters: number) {
  return Array.from({ length: count }, (_, i) => ({
    namespace: 'flux-system',
    name: `app-${i}`,
    appRef: { kind: 'HelmRelease', name: `app-${i}` },
    environments: ENVIRONMENTS.map((env, e) => {
      const t = targetOf(i, e, clusters);
      return {
        name: env,
        targets: [{ namespace: t.namespace, cluster: `c${t.cluster}` }],
      };
    }),
  }));
}

export function fleetEntities(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `app-${i}`,
      namespace: 'default',
      annotations: { 'flux-pipelines.io/pipelines': `flux-system/app-${i}` },
    },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
  }));
}

/**
 * A replica's config: every stand-in cluster (replicas share them through
 * leases, which the plugin always uses), and the pipelines.
 */
export function replicaConfig(
  clusters: SimCluster[],
  pipelines: number,
): JsonObject {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        { type: 'config', clusters: kubernetesClusterConfig(clusters) },
      ],
    },
    fluxPipelines: {
      pipelines: fleetPipelines(pipelines, clusters.length),
    },
  } as JsonObject;
}
