import { mockCredentials } from '@backstage/backend-test-utils';
import { ClusterSim } from '@internal/cluster-sim';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  release,
  startBackend,
  startSim,
  waitForTarget,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/**
 * A Helm rollback through the real plugin and the stand-in's helm-controller:
 * the failed version's execution says it was rolled back, and to what; the
 * version rolled back to is not started again as a new journey.
 */
describe.each(databases.eachSupportedId())(
  'a rollback in the execution history, on %p',
  databaseId => {
    let sim: ClusterSim | undefined;
    let b: ScenarioBackend | undefined;
    afterEach(async () => {
      await b?.stop();
      await sim?.stop();
    });

    it('is an event of the environment, not a new execution', async () => {
      sim = await startSim({
        hr: {
          spec: {
            upgrade: {
              remediation: { retries: 0, remediateLastFailure: true },
            },
          },
        },
      });
      sim.simulator!.planOutcome(
        { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
        'fail',
      );
      b = await startBackend({
        clusters: [clusterConfig('main', sim)],
        knex: await databases.init(databaseId),
      });
      await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
      await release(sim, 'dev', '6.5.1');
      // Helm fails the upgrade, then rolls back: wait until the history says
      // so (the card's latest attempt may be either version by then).
      const items = await eventually(async () => {
        const res = await request(b!.server)
          .get('/api/flux-pipelines/pipelines/flux-system/podinfo/executions')
          .set('Authorization', mockCredentials.user.header());
        const all = res.body.items ?? [];
        const rolledBack = all.some(
          (e: any) =>
            e.chartVersion === '6.5.1' &&
            e.environments[0]?.state === 'rolled-back',
        );
        return rolledBack && all;
      }, 30_000);
      expect(items.map((e: any) => e.chartVersion)).toEqual(['6.5.1', '6.5.0']);
      // The card's latest attempt is the rolled-back one, not the version
      // the rollback put back.
      expect((await b.target('dev'))?.latest).toMatchObject({
        chartVersion: '6.5.1',
        status: 'rolled-back',
      });
      expect(items[0]).toMatchObject({ status: 'rolled-back' });
      expect(items[0].environments[0]).toMatchObject({
        name: 'dev',
        state: 'rolled-back',
        rolledBackTo: '6.5.0',
      });
      expect(items[1].status).not.toBe('deploying');
      // Its journey did not start (again) at the rollback.
      const start = (e: any) => (e.startedAt ? Date.parse(e.startedAt) : 0);
      expect(start(items[1])).toBeLessThanOrEqual(start(items[0]));
    });
  },
);
