import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSim, startClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  FAST,
  clusterConfig,
  eventually,
  helmRepository,
  podinfo,
} from '../../follow/scenarios/__testUtils__/scenarioHelpers';
import { fluxPipelinesPlugin } from '../../plugin';
import { expectPagesExact } from '../../readmodel/__testUtils__/expectPagesExact';

/**
 * The promotion scenario: podinfo on one stand-in cluster through dev, test
 * and prod, whose GitOps loop deploys what a bare fleet repository says, and
 * the real plugin promoting by commit to that repository.
 */
export const ENVIRONMENTS = ['dev', 'test', 'prod'];
export const ADA = 'user:default/ada';
export const API = '/api/flux-pipelines/pipelines/flux-system/podinfo';

export function manifest(namespace: string, version: string) {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: ${namespace}
spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      # promotions change the marked line
      version: ${version} # {"$promotion": "flux-system:podinfo:${namespace}"}
      sourceRef: { kind: HelmRepository, name: podinfo }
  test:
    enable: true
  values:
    replicaCount: 1
`;
}

/** A bare "remote" fleet repository, and a working copy to commit to it. */
export function createFleet(root: string) {
  const bare = join(root, 'fleet.git');
  const work = join(root, 'work');
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();
  execFileSync('git', [
    'init',
    '--quiet',
    '--bare',
    '--initial-branch',
    'main',
    bare,
  ]);
  execFileSync('git', ['init', '--quiet', '--initial-branch', 'main', work]);
  git(work, 'remote', 'add', 'origin', bare);
  /** Commits everything in the working copy as "dev" and pushes it. */
  const push = (message: string) => {
    git(work, 'add', '.');
    git(
      work,
      '-c',
      'user.name=dev',
      '-c',
      'user.email=dev@example.com',
      'commit',
      '--quiet',
      '-m',
      message,
    );
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  };
  const commit = (namespace: string, version: string) => {
    git(work, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    writeFileSync(
      join(work, 'apps', namespace, 'podinfo.yaml'),
      manifest(namespace, version),
    );
    push(`${namespace}: podinfo ${version}`);
  };
  for (const ns of ENVIRONMENTS) {
    mkdirSync(join(work, 'apps', ns), { recursive: true });
    writeFileSync(
      join(work, 'apps', ns, 'podinfo.yaml'),
      manifest(ns, '6.5.0'),
    );
  }
  push('seed');
  const log = () => git(bare, 'log', '--format=%an <%ae>%n%B%n--', 'main');
  return { url: `file://${bare}`, commit, log };
}

/**
 * `fluxPipelines.promotion` for podinfo by commit to the fleet: test and
 * prod never automatic, prod with `prod`'s settings (gates, rollback).
 */
export function promotionIntoProd(
  fleetUrl: string,
  prod: Record<string, unknown> = {},
) {
  return {
    pipelines: [
      {
        pipeline: 'flux-system/podinfo',
        strategy: { commit: { url: fleetUrl, branch: 'main' } },
        environments: [
          { name: 'test', automatic: false },
          { name: 'prod', automatic: false, ...prod },
        ],
      },
    ],
  };
}

export function startPromotionSim(
  fleetUrl: string,
  simulator: Partial<typeof FAST> = {},
): Promise<ClusterSim> {
  return startClusterSim({
    settled: true,
    namespaces: ENVIRONMENTS,
    objects: [
      ...ENVIRONMENTS.map(ns => helmRepository(ns)),
      ...ENVIRONMENTS.map(ns => podinfo(ns, '6.5.0')),
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'fleet', namespace: 'flux-system' },
        spec: { url: 'https://example.com/fleet' },
      },
      ...ENVIRONMENTS.map(ns => ({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: `apps-${ns}`, namespace: 'flux-system' },
        spec: {
          path: `./apps/${ns}`,
          interval: '10m',
          sourceRef: { kind: 'GitRepository', name: 'fleet' },
        },
      })),
    ],
    simulator: { ...FAST, ...simulator },
    gitops: { repo: fleetUrl, intervalMs: 200 },
  });
}

export async function startPromotionBackend(
  sim: ClusterSim,
  fleetUrl: string,
  extra: {
    permissions?: ReturnType<typeof mockServices.permissions.mock>;
    /** Catalog entities besides podinfo, unrelated and ada. */
    entities?: Entity[];
    /** Merged into `fluxPipelines.promotion`. */
    promotion?: Record<string, unknown>;
    /** The plugin's database; SQLite in memory by default. */
    knex?: Knex;
    /** The `integrations` config (e.g. a GitHub stand-in's). */
    integrations?: JsonObject;
    /** More features, e.g. the notifications backend or per-plugin databases. */
    features?: BackendFeature[];
    /** `fluxPipelines.notifications`. */
    notifications?: JsonObject;
  } = {},
) {
  const audits: Array<{
    eventId: string;
    meta?: any;
    result?: string;
    resultMeta?: any;
  }> = [];
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockImplementation(async options => {
    const entry = {
      eventId: options.eventId,
      meta: options.meta,
    } as (typeof audits)[number];
    audits.push(entry);
    return {
      success: async (o?: { meta?: any }) => {
        entry.result = 'success';
        entry.resultMeta = o?.meta;
      },
      fail: async () => {
        entry.result = 'fail';
      },
    };
  });
  const backend = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      auditor.factory,
      ...(extra.features ?? []),
      ...(extra.permissions ? [extra.permissions.factory] : []),
      ...(extra.knex
        ? [mockServices.database.factory({ knex: extra.knex })]
        : []),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'podinfo',
              namespace: 'default',
              annotations: {
                'flux-pipelines.io/pipelines': 'flux-system/podinfo',
              },
            },
            spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
            relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'unrelated', namespace: 'default' },
            spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'ada', namespace: 'default' },
            spec: {
              profile: {
                displayName: 'Ada Lovelace',
                email: 'ada@example.com',
              },
            },
          },
          ...(extra.entities ?? []),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ...(extra.integrations ? { integrations: extra.integrations } : {}),
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [clusterConfig('main', sim)] },
            ],
          },
          fluxPipelines: {
            ...(extra.notifications
              ? { notifications: extra.notifications }
              : {}),
            pipelines: [
              {
                namespace: 'flux-system',
                name: 'podinfo',
                appRef: { kind: 'HelmRelease', name: 'podinfo' },
                environments: ENVIRONMENTS.map(ns => ({
                  name: ns,
                  targets: [{ namespace: ns }],
                })),
              },
            ],
            promotion: {
              repositories: [fleetUrl],
              followIntervalSeconds: 1,
              pipelines: [
                {
                  pipeline: 'flux-system/podinfo',
                  strategy: { commit: { url: fleetUrl, branch: 'main' } },
                  environments: [
                    { name: 'test', automatic: false },
                    { name: 'prod', manual: true },
                  ],
                },
              ],
              ...extra.promotion,
            },
          },
        },
      }),
    ],
  });
  const { server } = backend;
  const as = (user = ADA) => mockCredentials.user.header(user);
  const get = async (path: string) => {
    const res = await request(server)
      .get(`${API}${path}`)
      .set('Authorization', as());
    if (res.status !== 200)
      throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const environment = async (name: string) =>
    (await get('')).environments.find((e: any) => e.name === name);
  const promote = (body: object, user = ADA) =>
    request(server)
      .post(`${API}/promotions`)
      .set('Authorization', as(user))
      .send(body);
  return { backend, server, get, environment, promote, audits, as };
}

/**
 * Commits a version to an environment's manifest (a hand commit, as a person
 * would) and waits until it runs there and, unless told not to, passed its
 * Helm tests.
 */
export async function commitAndWait(
  b: Awaited<ReturnType<typeof startPromotionBackend>>,
  fleet: ReturnType<typeof createFleet>,
  environment: string,
  version: string,
  options: { tested?: boolean } = {},
) {
  fleet.commit(environment, version);
  await eventually(async () => {
    const env = await b.environment(environment);
    return env.targets[0].deployed?.chartVersion === version;
  }, 20_000);
  if (options.tested === false) return;
  await eventually(async () => {
    const { items } = await b.get(
      `/environments/${environment}/events?limit=50`,
    );
    return items.some(
      (o: any) =>
        o.action === 'test' &&
        o.outcome === 'succeeded' &&
        o.chartVersion === version,
    );
  }, 20_000);
}

/** One test's fleet repository, stand-in cluster and (once started) backend. */
export interface PromotionScenario {
  fleet: ReturnType<typeof createFleet>;
  sim: ClusterSim;
  backend?: Awaited<ReturnType<typeof startPromotionBackend>>;
}

/**
 * Gives every test of the calling `describe` a fresh fleet repository and
 * stand-in cluster, and stops them and the backend after it.
 */
export function usePromotionScenario(prefix: string): PromotionScenario {
  const scenario = {} as PromotionScenario & { root: string };
  beforeEach(async () => {
    scenario.root = mkdtempSync(join(tmpdir(), prefix));
    scenario.fleet = createFleet(scenario.root);
    scenario.sim = await startPromotionSim(scenario.fleet.url);
  });
  afterEach(async () => {
    try {
      // The read model answers every page as the database does.
      if (scenario.backend) await expectPagesExact(scenario.backend.server);
    } finally {
      await scenario.backend?.backend.stop();
      scenario.backend = undefined;
      await scenario.sim.stop();
      // (a git process the backend started before it stopped may still be
      // writing for a few seconds; a temporary folder left behind is no failure)
      try {
        rmSync(scenario.root, {
          recursive: true,
          force: true,
          maxRetries: 30,
          retryDelay: 250,
        });
      } catch (error) {
        process.emitWarning(`left ${scenario.root}: ${error}`);
      }
    }
  });
  return scenario;
}
