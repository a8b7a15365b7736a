import { mockCredentials } from '@backstage/backend-test-utils';
import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import request from 'supertest';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  podinfo,
  startBackend,
  startSim,
} from './__testUtils__/scenarioHelpers';

jest.setTimeout(30_000);

const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;

describe('scenarios: entities linked by backstage.io/kubernetes-id', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  it('(labels) an entity with backstage.io/kubernetes-id finds the pipeline whose HelmRelease carries that label, and loses it when the label goes', async () => {
    sim = await startSim({
      namespaces: ['dev', 'test'],
      hr: { labels: { 'backstage.io/kubernetes-id': 'podinfo-svc' } },
    });
    b = await startBackend({
      clusters: [clusterConfig('main', sim)],
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'podinfo',
            namespace: 'default',
            annotations: { 'backstage.io/kubernetes-id': 'podinfo-svc' },
          },
          spec: {},
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'other',
            namespace: 'default',
            annotations: { 'backstage.io/kubernetes-id': 'other' },
          },
          spec: {},
        },
      ],
    });
    const forEntity = async (ref: string) => {
      const res = await request(b!.server)
        .get('/api/flux-pipelines/pipelines')
        .query({ entityRef: ref })
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body.items.map((p: any) => `${p.namespace}/${p.name}`);
    };
    await eventually(async () => {
      const items = await forEntity('component:default/podinfo');
      return items.length === 1 && items[0] === 'flux-system/podinfo';
    });
    expect(await forEntity('component:default/other')).toEqual([]);

    // The label is removed from both HelmReleases: the link goes with it.
    for (const ns of ['dev', 'test']) {
      const current = sim.store.get(HELM_RELEASE, ns, 'podinfo');
      sim.apply([
        {
          ...podinfo(ns, current.spec.chart.spec.version),
          metadata: { name: 'podinfo', namespace: ns, labels: { team: 'x' } },
        },
      ]);
    }
    await eventually(async () =>
      (await forEntity('component:default/podinfo')).length === 0
        ? true
        : undefined,
    );
  });
});
