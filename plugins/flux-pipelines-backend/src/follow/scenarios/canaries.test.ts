import { mockServices } from '@backstage/backend-test-utils';
import { ClusterSim, KubeObject, RESOURCE_TYPES } from '@internal/cluster-sim';
import { createTestDatabases } from '../../__testUtils__/databases';
import { DatabaseCanaryStore } from '../../database/DatabaseCanaryStore';
import { migrateDatabase } from '../../database/migrateDatabase';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  helmRepository,
  podinfo,
  release,
  startBackend,
  startSim,
} from './__testUtils__/scenarioHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CANARY = RESOURCE_TYPES.find(t => t.kind === 'Canary')!;

function canary(namespace: string, name = 'podinfo'): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {
      name,
      namespace,
      labels: { 'helm.toolkit.fluxcd.io/name': 'podinfo' },
    },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      analysis: { interval: '1m', threshold: 2, maxWeight: 20, stepWeight: 10 },
    },
  };
}

describe('scenarios: Flagger canaries as observations for the health gates', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  it.each(databases.eachSupportedId())(
    'a canary that failed a version blocks it even after a tenant forges a succeeded canary; the next version succeeds, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      sim = await startSim({
        namespaces: ['dev', 'test'],
        objects: [
          ...['dev', 'test'].flatMap(ns => [
            helmRepository(ns),
            podinfo(ns, '6.5.0'),
          ]),
          canary('test'),
        ],
        simulator: { canaryStepMs: 150 },
      });
      b = await startBackend({ clusters: [clusterConfig('main', sim)], knex });
      const canaries = new DatabaseCanaryStore(knex);
      const verdict = (version: string) =>
        canaries.verdict({
          cluster: 'main',
          namespace: 'test',
          name: 'podinfo',
          version,
        });
      const control = await fetch(`${sim.url}/_sim/canaries/outcome`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          namespace: 'test',
          name: 'podinfo',
          version: '6.5.1',
          outcome: 'fail',
        }),
      });
      expect(control.status).toBe(200);

      await release(sim, 'test', '6.5.1');
      await eventually(
        async () => (await verdict('6.5.1')).state === 'failed',
        20_000,
      );

      // A tenant of `test` creates a Canary for podinfo and writes it a succeeded analysis.
      sim.apply([
        {
          ...canary('test', 'forged'),
          metadata: {
            ...canary('test', 'forged').metadata,
            labels: {
              'helm.toolkit.fluxcd.io/name': 'podinfo',
              'helm.sh/chart': 'podinfo-6.5.1',
            },
          },
        },
      ]);
      for (const phase of ['Progressing', 'Succeeded'])
        sim.store.mutate(
          CANARY,
          'test',
          'forged',
          o => {
            o.status = {
              phase,
              lastAppliedSpec: 'forged1',
              lastTransitionTime: new Date().toISOString(),
            };
          },
          { subresource: 'status' },
        );
      await eventually(async () =>
        (await verdict('6.5.1')).canaries.some(c => c.canary === 'forged'),
      );
      expect((await verdict('6.5.1')).state).toBe('failed');

      await release(sim, 'test', '6.5.2');
      await eventually(
        async () => (await verdict('6.5.2')).state === 'succeeded',
        20_000,
      );
      // dev has no canary: nothing to say there.
      expect(
        (
          await canaries.verdict({
            cluster: 'main',
            namespace: 'dev',
            name: 'podinfo',
            version: '6.5.2',
          })
        ).state,
      ).toBe('none');
    },
  );
});
