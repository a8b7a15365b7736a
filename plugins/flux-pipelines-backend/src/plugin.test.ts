import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { fluxPipelinesPlugin } from './plugin';

const config = {
  fluxPipelines: {
    pipelines: [
      {
        namespace: 'flux-system',
        name: 'podinfo',
        appRef: { kind: 'HelmRelease', name: 'podinfo' },
        environments: [
          { name: 'dev', targets: [{ namespace: 'dev' }] },
          {
            name: 'prod',
            targets: [{ namespace: 'prod', cluster: 'prod-eu' }],
          },
        ],
      },
      {
        name: 'other',
        appRef: { kind: 'Kustomization', name: 'other' },
        environments: [{ name: 'dev', targets: [{ namespace: 'dev' }] }],
      },
    ],
  },
  kubernetes: {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'dev-cluster',
            url: 'http://127.0.0.1:1',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'not-a-real-token',
          },
        ],
      },
    ],
  },
};

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      mockServices.rootConfig.factory({ data: config }),
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
            spec: {},
          },
        ],
      }),
    ],
  });
  return server;
}

describe('flux-pipelines backend', () => {
  it('answers /health without credentials', async () => {
    const server = await startBackend();
    const res = await request(server).get('/api/flux-pipelines/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('refuses to list pipelines without credentials', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/flux-pipelines/pipelines')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('serves the configured pipelines, resolving default namespace and cluster', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/flux-pipelines/pipelines')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: any) => `${p.namespace}/${p.name}`)).toEqual([
      'default/other',
      'flux-system/podinfo',
    ]);
    const podinfo = res.body.items[1];
    expect(podinfo.appRef.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(podinfo.environments).toEqual([
      {
        name: 'dev',
        manual: false,
        targets: [{ namespace: 'dev', cluster: 'dev-cluster' }],
        activity: { kind: 'up-to-date' },
      },
      {
        name: 'prod',
        manual: false,
        targets: [{ namespace: 'prod', cluster: 'prod-eu' }],
        activity: { kind: 'up-to-date' },
      },
    ]);
  });

  it('serves only the pipelines an entity links to', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/flux-pipelines/pipelines')
      .query({ entityRef: 'component:default/podinfo' })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: any) => p.name)).toEqual(['podinfo']);
  });

  it('answers 404 with a message for an unknown entity or pipeline', async () => {
    const server = await startBackend();
    const entity = await request(server)
      .get('/api/flux-pipelines/pipelines')
      .query({ entityRef: 'component:default/missing' })
      .set('Authorization', mockCredentials.user.header());
    expect(entity.status).toBe(404);
    expect(entity.body.error.message).toMatch(/component:default\/missing/);

    const pipeline = await request(server)
      .get('/api/flux-pipelines/pipelines/flux-system/missing')
      .set('Authorization', mockCredentials.user.header());
    expect(pipeline.status).toBe(404);
  });

  it('answers 400 for a malformed query', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/flux-pipelines/pipelines?entityRef=')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
  });
});
