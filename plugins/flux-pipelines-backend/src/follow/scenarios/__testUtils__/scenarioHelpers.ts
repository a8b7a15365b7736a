import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterSim,
  ClusterSimOptions,
  startClusterSim,
} from '@internal/cluster-sim';
import { Knex } from 'knex';
import request from 'supertest';
import { fluxPipelinesPlugin } from '../../../plugin';
import { expectPagesExact } from '../../../readmodel/__testUtils__/expectPagesExact';

/** A HelmRelease for podinfo at a chart version (test helper). */
export function podinfo(
  namespace: string,
  version: string,
  extra: {
    spec?: Record<string, unknown>;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  } = {},
) {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name: 'podinfo',
      namespace,
      annotations: extra.annotations,
      ...(extra.labels ? { labels: extra.labels } : {}),
    },
    spec: {
      interval: '5m',
      chart: {
        spec: {
          chart: 'podinfo',
          version,
          sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
        },
      },
      values: { replicaCount: 1 },
      ...extra.spec,
    },
  };
}

export function helmRepository(namespace: string, type?: 'oci') {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: 'podinfo', namespace },
    spec: {
      url: type
        ? 'oci://ghcr.io/stefanprodan/charts'
        : 'https://stefanprodan.github.io/podinfo',
      ...(type ? { type } : {}),
    },
  };
}

/** Fast simulator timings for scenarios. */
export const FAST = {
  releaseDurationMs: 300,
  testDurationMs: 100,
  rollbackDurationMs: 100,
  retryIntervalMs: 200,
};

/** Starts a stand-in with podinfo in the given namespaces (settled at `version`). */
export function startSim(
  options: Partial<ClusterSimOptions> & {
    version?: string;
    hr?: Parameters<typeof podinfo>[2];
  } = {},
): Promise<ClusterSim> {
  const namespaces = options.namespaces ?? ['dev', 'test'];
  const { version = '6.5.0', hr, ...rest } = options;
  return startClusterSim({
    settled: true,
    ...rest,
    namespaces,
    objects: options.objects ?? [
      ...namespaces.map(ns => helmRepository(ns)),
      ...namespaces.map(ns => podinfo(ns, version, hr)),
    ],
    simulator:
      options.simulator === false ? false : { ...FAST, ...options.simulator },
  });
}

/** The kubernetes config entry for a stand-in. */
export function clusterConfig(
  name: string,
  sim: { url: string; token: string },
): JsonObject {
  return {
    name,
    url: sim.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: sim.token,
    skipTLSVerify: true,
  };
}

/**
 * `fluxPipelines.pipelineSources` trusting the Pipeline objects in
 * `flux-system` of the given clusters (default `main`), as the demo does.
 */
export function pipelineSources(...clusters: string[]): JsonObject[] {
  return (clusters.length ? clusters : ['main']).map(cluster => ({
    cluster,
    namespaces: ['flux-system'],
  }));
}

export interface TargetSpec {
  env: string;
  namespace: string;
  cluster?: string;
}

export interface BackendOptions {
  clusters: JsonObject[];
  fluxClusters?: JsonObject[];
  targets?: TargetSpec[];
  knex?: Knex;
  /** Catalog entities the mock catalog serves. */
  entities?: Entity[];
  /** `fluxPipelines.evidence`. */
  evidence?: JsonObject;
}

export type ScenarioBackend = Awaited<ReturnType<typeof startBackend>>;

/** Starts the real plugin against the given clusters with the podinfo pipeline. */
export async function startBackend(options: BackendOptions) {
  const targets = options.targets ?? [
    { env: 'dev', namespace: 'dev' },
    { env: 'test', namespace: 'test' },
  ];
  const backend = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: options.clusters },
            ],
          },
          fluxPipelines: {
            ...(options.fluxClusters ? { clusters: options.fluxClusters } : {}),
            pipelineSources: pipelineSources(),
            ...(options.evidence ? { evidence: options.evidence } : {}),
            pipelines: [
              {
                namespace: 'flux-system',
                name: 'podinfo',
                appRef: { kind: 'HelmRelease', name: 'podinfo' },
                environments: targets.map(t => ({
                  name: t.env,
                  targets: [
                    {
                      namespace: t.namespace,
                      ...(t.cluster ? { cluster: t.cluster } : {}),
                    },
                  ],
                })),
              },
            ],
          },
        },
      }),
    ],
  });
  const { server } = backend;
  const pipeline = async () => {
    const res = await request(server)
      .get('/api/flux-pipelines/pipelines/flux-system/podinfo')
      .set('Authorization', mockCredentials.user.header());
    if (res.status !== 200) throw new Error(`GET pipeline: ${res.status}`);
    return res.body;
  };
  /** The first target of each environment, by environment name. */
  const target = async (env: string) => {
    const body = await pipeline();
    return body.environments.find((e: any) => e.name === env)?.targets[0];
  };
  const health = async () =>
    (await request(server).get('/api/flux-pipelines/health')).body;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    backend,
    server,
    port,
    pipeline,
    target,
    health,
    /** Checks the read model against the database, then stops the backend. */
    stop: async (stopOptions: { exactness?: boolean } = {}) => {
      try {
        if (stopOptions.exactness !== false) {
          await expectPagesExact(server, {
            entityRefs: options.entities?.map(e => stringifyEntityRef(e)),
          });
        }
      } finally {
        await backend.stop();
      }
    },
  };
}

/** Polls until `check` returns a truthy value. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = String(e);
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting; last: ${JSON.stringify(last)}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/** Sets a HelmRelease's desired chart version through the simulator's control API. */
export async function release(
  sim: ClusterSim,
  namespace: string,
  version: string,
  outcome?: string,
) {
  const res = await fetch(`${sim.url}/_sim/helmreleases/release`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespace, name: 'podinfo', version, outcome }),
  });
  if (res.status >= 300)
    throw new Error(`release: ${res.status} ${await res.text()}`);
}

/** Waits until a target's `deployed` or `latest` satisfies `check`. */
export function waitForTarget(
  b: ScenarioBackend,
  env: string,
  check: (t: any) => boolean,
  ms?: number,
) {
  return eventually(async () => {
    const t = await b.target(env);
    return t && check(t) ? t : undefined;
  }, ms);
}
