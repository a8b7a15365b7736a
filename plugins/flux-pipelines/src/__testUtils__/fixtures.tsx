import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { PermissionApi } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EnvironmentStatus,
  PipelineWithStatus,
  Promotion,
  TargetDeployment,
  TargetStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { ReactElement } from 'react';
import { FluxPipelinesApi, fluxPipelinesApiRef } from '../api/FluxPipelinesApi';

/** An ISO time `minutes` ago. */
export function ago(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export const podinfoEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'podinfo',
    annotations: { 'flux-pipelines.io/pipelines': 'flux-system/podinfo' },
  },
  spec: {},
};

let entityCount = 0;

/**
 * A podinfo entity with a name of its own. usePermission caches decisions by
 * resource across tests, so tests that vary permissions each need their own.
 */
export function uniqueEntity(): { entity: Entity; entityRef: string } {
  entityCount += 1;
  const name = `podinfo-${entityCount}`;
  return {
    entity: {
      ...podinfoEntity,
      metadata: { ...podinfoEntity.metadata, name },
    },
    entityRef: `component:default/${name}`,
  };
}

export function deployment(
  overrides: Partial<TargetDeployment> = {},
): TargetDeployment {
  return {
    cluster: 'main',
    namespace: 'dev',
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: '6.5.0',
    status: 'succeeded',
    startedAt: ago(10),
    finishedAt: ago(5),
    durationMs: 300_000,
    updatedAt: ago(5),
    ...overrides,
  };
}

/** A target whose latest deployment is `latest` (and deployed, when it succeeded). */
export function target(
  cluster: string,
  namespace: string,
  latest?: Partial<TargetDeployment>,
  deployed?: Partial<TargetDeployment>,
): TargetStatus {
  const last = latest && deployment({ cluster, namespace, ...latest });
  return {
    cluster,
    namespace,
    latest: last,
    deployed:
      (deployed && deployment({ cluster, namespace, ...deployed })) ??
      (last?.status === 'succeeded' ? last : undefined),
  };
}

export function environment(
  name: string,
  targets: TargetStatus[],
  extra: Partial<EnvironmentStatus> = {},
): EnvironmentStatus {
  return { name, targets, ...extra };
}

export function pipeline(
  environments: EnvironmentStatus[],
  name = 'podinfo',
): PipelineWithStatus {
  return {
    namespace: 'flux-system',
    name,
    source: 'config',
    appRef: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      name,
    },
    environments,
  };
}

export function promotion(overrides: Partial<Promotion> = {}): Promotion {
  return {
    id: 'p1',
    pipelineNamespace: 'flux-system',
    pipelineName: 'podinfo',
    environment: 'test',
    fromEnvironment: 'dev',
    version: '6.6.0',
    trigger: 'manual',
    strategy: 'pull-request',
    state: 'in-progress',
    requestedBy: 'user:default/jane',
    requestedAt: ago(3),
    updatedAt: ago(2),
    ...overrides,
  };
}

/** dev runs 6.6.0, test runs 6.5.0 and could get 6.6.0. */
export function devTestPipeline(
  test: Partial<EnvironmentStatus> = {},
): PipelineWithStatus {
  return pipeline([
    environment('dev', [
      target('main', 'dev', { chartVersion: '6.6.0', appVersion: '6.6.0' }),
    ]),
    environment(
      'test',
      [target('main', 'test', { chartVersion: '6.5.0', appVersion: '6.5.0' })],
      {
        running: '6.5.0',
        promotable: { version: '6.6.0', appVersion: '6.6.0' },
        activity: { kind: 'promotable', version: '6.6.0' },
        ...test,
      },
    ),
  ]);
}

/** A FluxPipelinesApi of jest mocks, answering with `pipelines` and empty lists. */
export function mockFluxApi(
  pipelines: PipelineWithStatus[],
  overrides: Partial<FluxPipelinesApi> = {},
): jest.Mocked<FluxPipelinesApi> {
  return {
    getPipelinesForEntity: jest.fn(async () => pipelines),
    listPipelines: jest.fn(async () => pipelines),
    getHealth: jest.fn(async () => ({ status: 'ok' as const, clusters: [] })),
    getExecutions: jest.fn(async () => ({
      items: [],
      totalCount: 0,
      limit: 10,
      offset: 0,
    })),
    getEnvironmentEvents: jest.fn(async () => ({ items: [] })),
    getPromotionPreview: jest.fn(async (_p, { environment: env, version }) => ({
      environment: env,
      fromEnvironment: 'dev',
      strategy: 'pull-request' as const,
      manual: false,
      from: { version: '6.5.0', appVersion: '6.5.0', digest: 'sha256:aaa' },
      to: { version, appVersion: version, digest: 'sha256:bbb' },
      files: [
        {
          path: 'apps/test/podinfo.yaml',
          diff: '--- a/apps/test/podinfo.yaml\n+++ b/apps/test/podinfo.yaml\n@@ -3 +3 @@\n-      version: 6.5.0\n+      version: 6.6.0',
        },
      ],
    })),
    createPromotion: jest.fn(async (_p, request) =>
      promotion({ environment: request.environment, version: request.version }),
    ),
    approvePromotion: jest.fn(async () => promotion({ state: 'in-progress' })),
    releaseHold: jest.fn(async () => undefined),
    getInsights: jest.fn(async () => ({
      from: ago(30 * 24 * 60),
      to: ago(0),
      scope: {},
      entityRefs: [],
      pipelines: [],
    })),
    ...overrides,
  } as jest.Mocked<FluxPipelinesApi>;
}

/** A PermissionApi that allows the permissions whose names `allow` accepts. */
export function permissions(
  allow: (name: string) => boolean = () => true,
): PermissionApi {
  return mockApis.permission({
    authorize: request =>
      (allow(request.permission.name) ? 'ALLOW' : 'DENY') as any,
  });
}

/** Renders `element` in a test app, on `entity`'s page, with these APIs. */
export async function renderWithApis(
  element: ReactElement,
  options: {
    api: FluxPipelinesApi;
    permissionApi?: PermissionApi;
    signalApi?: SignalApi;
    /** The catalog (the team page lists owners and systems from it). */
    catalogApi?: typeof catalogApiRef.T;
    entity?: Entity;
    /** The signed-in user; `user:default/test` by default. */
    user?: string;
    /** The page's URL, e.g. `/?owner=platform`. */
    route?: string;
  },
) {
  const apis: Array<[any, any]> = [
    [fluxPipelinesApiRef, options.api],
    [permissionApiRef, options.permissionApi ?? permissions()],
  ];
  if (options.signalApi) apis.push([signalApiRef, options.signalApi]);
  if (options.catalogApi) apis.push([catalogApiRef, options.catalogApi]);
  apis.push([
    identityApiRef,
    mockApis.identity({ userEntityRef: options.user ?? 'user:default/test' }),
  ]);
  return renderInTestApp(
    <TestApiProvider apis={apis as any}>
      <EntityProvider entity={options.entity ?? podinfoEntity}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    options.route ? { routeEntries: [options.route] } : undefined,
  );
}

/** A SignalApi whose messages the test sends with `send`. */
export function testSignals() {
  const listeners: Array<(message: any) => void> = [];
  const signalApi: SignalApi = {
    subscribe: (_channel, onMessage) => {
      listeners.push(onMessage);
      return { unsubscribe: () => {} };
    },
  };
  return {
    signalApi,
    send: (message: object) => listeners.forEach(l => l(message)),
  };
}

/** The error FluxPipelinesClient throws for a Backstage error response. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<Error> {
  const { ResponseError } = await import('@backstage/errors');
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}
