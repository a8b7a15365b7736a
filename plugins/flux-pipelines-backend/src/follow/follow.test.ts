import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSim, startClusterSim } from '@internal/cluster-sim';
import request from 'supertest';
import { fluxPipelinesPlugin } from '../plugin';
import { eventually, podinfo } from './scenarios/__testUtils__/scenarioHelpers';

jest.setTimeout(30_000);

describe('following a cluster', () => {
  let sim: ClusterSim;

  beforeEach(async () => {
    sim = await startClusterSim({
      namespaces: ['dev', 'test', 'flux-system'],
      objects: [podinfo('dev', '6.5.0'), podinfo('test', '6.5.0')],
      settled: true,
      simulator: { releaseDurationMs: 300, testDurationMs: 100 },
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        fluxPipelinesPlugin,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'main',
                      url: sim.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: sim.token,
                      // client-node refuses plain HTTP unless told so
                      skipTLSVerify: true,
                    },
                  ],
                },
              ],
            },
            fluxPipelines: {
              pipelines: [
                {
                  namespace: 'flux-system',
                  name: 'podinfo',
                  appRef: { kind: 'HelmRelease', name: 'podinfo' },
                  environments: [
                    { name: 'dev', targets: [{ namespace: 'dev' }] },
                    { name: 'test', targets: [{ namespace: 'test' }] },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    const targets = async () => {
      const res = await request(server)
        .get('/api/flux-pipelines/pipelines/flux-system/podinfo')
        .set('Authorization', mockCredentials.user.header());
      return res.body.environments.map((e: any) => e.targets[0]);
    };
    return { server, targets };
  }

  it('backfills what is deployed from status at start, then follows a new release live', async () => {
    const { targets, server } = await startBackend();
    const [dev, test] = await eventually(async () => {
      const t = await targets();
      return t[0].deployed && t[1].deployed ? t : undefined;
    });
    expect(dev.deployed).toMatchObject({
      chartVersion: '6.5.0',
      status: 'succeeded',
    });
    expect(test.deployed).toMatchObject({
      chartVersion: '6.5.0',
      status: 'succeeded',
    });

    const res = await fetch(`${sim.url}/_sim/helmreleases/release`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        namespace: 'dev',
        name: 'podinfo',
        version: '6.5.1',
      }),
    });
    expect(res.status).toBeLessThan(300);

    const upgraded = await eventually(async () => {
      const [d] = await targets();
      return d.deployed?.chartVersion === '6.5.1' ? d : undefined;
    });
    expect(upgraded.deployed.status).toBe('succeeded');
    expect(upgraded.deployed.durationMs).toBeGreaterThan(0);
    expect((await targets())[1].deployed.chartVersion).toBe('6.5.0');

    const health = await request(server).get('/api/flux-pipelines/health');
    expect(health.body.clusters).toEqual([
      expect.objectContaining({ name: 'main', connected: true }),
    ]);
  });

  it('keeps following after the stand-in drops every watch and forces a relist', async () => {
    const { targets } = await startBackend();
    await eventually(async () => (await targets())[0].deployed);
    await fetch(`${sim.url}/_sim/faults/restart`, { method: 'POST' });
    await fetch(`${sim.url}/_sim/helmreleases/release`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        namespace: 'test',
        name: 'podinfo',
        version: '6.6.0',
      }),
    });
    const test = await eventually(async () => {
      const t = (await targets())[1];
      return t.deployed?.chartVersion === '6.6.0' ? t : undefined;
    });
    expect(test.deployed.status).toBe('succeeded');
  });
});
