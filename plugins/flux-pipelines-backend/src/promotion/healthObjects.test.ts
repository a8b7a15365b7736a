import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDatabase } from '../database/migrateDatabase';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  commitAndWait,
  promotionIntoProd,
  startPromotionBackend,
  usePromotionScenario,
} from './__testUtils__/promotionScenario';
import {
  appsTestHealthChecked,
  healthListingAppsTest,
  tenantAppsTest,
} from './__testUtils__/listedKustomizations';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe('a health gate listing a Kustomization', () => {
  const scenario = usePromotionScenario('flux-pipelines-health-objects-');

  it.each(databases.eachSupportedId())(
    'a failing health check of apps-test refuses prod naming it, a tenant same-named Kustomization does not lift it, a passing check does, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      scenario.sim.apply([appsTestHealthChecked('1s')]);
      const b = await startPromotionBackend(scenario.sim, scenario.fleet.url, {
        knex,
        promotion: promotionIntoProd(scenario.fleet.url, {
          gates: {
            health: healthListingAppsTest,
          },
        }),
      });
      scenario.backend = b;
      const healthGate = async (settled: (g: any) => boolean) =>
        eventually(async () => {
          const prod = await b.environment('prod');
          const gate = prod.gates?.find((g: any) => g.gate === 'health');
          return prod.promotable?.version === '6.5.1' && gate && settled(gate)
            ? gate
            : undefined;
        }, 30_000);

      await commitAndWait(b, scenario.fleet, 'dev', '6.5.1');
      expect(
        (await b.promote({ environment: 'test', version: '6.5.1' })).status,
      ).toBe(201);
      const failed = await healthGate(g => g.state === 'failed');
      expect(failed).toEqual({
        gate: 'health',
        state: 'failed',
        reason:
          'health in test failed: Kustomization flux-system/apps-test on main: health check failed',
      });
      const refused = await b.promote({
        environment: 'prod',
        version: '6.5.1',
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(
        /^refused by gate health of prod: health in test failed: Kustomization flux-system\/apps-test on main: health check failed/,
      );

      // The tenant's Ready apps-test in namespace test is seen, and changes nothing.
      scenario.sim.apply([tenantAppsTest(true)]);
      await eventually(
        async () =>
          !!(await knex('deployments')
            .where({ kind: 'Kustomization', namespace: 'test' })
            .first()),
        20_000,
      );
      expect(await healthGate(() => true)).toEqual(failed);
      expect(
        (await b.promote({ environment: 'prod', version: '6.5.1' })).status,
      ).toBe(409);

      // The Secret appears; the next revision's health check passes.
      scenario.sim.apply([
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'smoke', namespace: 'test' },
        },
      ]);
      scenario.fleet.commit('dev', '6.5.2');
      const passed = await healthGate(g => g.state === 'passed');
      expect(passed).toMatchObject({
        gate: 'health',
        state: 'passed',
      });
      const promoted = await b.promote({
        environment: 'prod',
        version: '6.5.1',
      });
      expect(promoted.status).toBe(201);
    },
  );
});
