import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDatabase } from '../database/migrateDatabase';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  PromotionScenario,
  commitAndWait,
  startPromotionBackend,
  usePromotionScenario,
} from './__testUtils__/promotionScenario';
import {
  appsTestHealthChecked,
  healthListingAppsTest,
  tenantAppsTest,
} from './__testUtils__/listedKustomizations';
import { Backend, settle } from './__testUtils__/rollbackScenario';

jest.setTimeout(150_000);

const databases = createTestDatabases();

/**
 * test rolls back automatically; prod's gates (which judge test's targets)
 * soak for `soak` in test and list flux-system/apps-test.
 */
async function startWithHealthGate(
  scenario: PromotionScenario,
  databaseId: Parameters<typeof databases.init>[0],
  soak: string,
): Promise<{ b: Backend; knex: Knex }> {
  const knex = await migrateDatabase(
    mockServices.database({ knex: await databases.init(databaseId) }),
  );
  const b = await startPromotionBackend(scenario.sim, scenario.fleet.url, {
    knex,
    promotion: {
      pipelines: [
        {
          pipeline: 'flux-system/podinfo',
          strategy: { commit: { url: scenario.fleet.url, branch: 'main' } },
          environments: [
            { name: 'test', automatic: false, rollback: { automatic: true } },
            {
              name: 'prod',
              automatic: false,
              gates: {
                soak,
                health: healthListingAppsTest,
              },
            },
          ],
        },
      ],
    },
  });
  scenario.backend = b;
  return { b, knex };
}

const testPromotions = async (b: Backend) =>
  (await b.get('/promotions')).items.filter(
    (p: any) => p.environment === 'test',
  );

const prodHealthGate = async (b: Backend) =>
  (await b.environment('prod')).gates?.find((g: any) => g.gate === 'health');

/** Brings 6.5.1 through dev and promotes it into test, where it deploys. */
async function promoteIntoTest(scenario: PromotionScenario, b: Backend) {
  await commitAndWait(b, scenario.fleet, 'dev', '6.5.1');
  expect(
    (await b.promote({ environment: 'test', version: '6.5.1' })).status,
  ).toBe(201);
  await eventually(
    async () => (await testPromotions(b))[0]?.state === 'deployed',
    30_000,
  );
}

describe('automatic rollback on a health gate failing within its soak', () => {
  const scenario = usePromotionScenario('flux-pipelines-health-rollback-');

  it.each(databases.eachSupportedId())(
    'a listed Kustomization whose health check fails within the soak rolls test back once, and holds it, %p',
    async databaseId => {
      scenario.sim.apply([appsTestHealthChecked('1s')]);
      const { b } = await startWithHealthGate(scenario, databaseId, '1m');
      await promoteIntoTest(scenario, b);
      const rollback = await eventually(
        async () =>
          (await testPromotions(b)).find((p: any) => p.trigger === 'rollback'),
        40_000,
      );
      expect(rollback).toMatchObject({
        version: '6.5.0',
        requestedBy: 'pipeline',
        reason:
          'automatic rollback: 6.5.1 failed in test (Kustomization flux-system/apps-test on main: health check failed)',
      });
      expect((await b.environment('test')).hold).toMatchObject({
        version: '6.5.0',
        heldBy: 'pipeline',
      });
      // Flux applies the rollback; the health check keeps failing: still one rollback.
      await eventually(
        async () =>
          (await b.environment('test')).targets[0].deployed?.chartVersion ===
          '6.5.0',
        30_000,
      );
      await settle();
      expect(
        (await testPromotions(b)).map((p: any) => [p.trigger, p.version]),
      ).toEqual([
        ['rollback', '6.5.0'],
        ['manual', '6.5.1'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'the same failure after the soak elapsed does not roll back, %p',
    async databaseId => {
      const { b } = await startWithHealthGate(scenario, databaseId, '2s');
      await promoteIntoTest(scenario, b);
      await eventually(
        async () => (await prodHealthGate(b))?.state === 'passed',
        30_000,
      );
      await new Promise(r => setTimeout(r, 2500));
      // Only now does apps-test health-check (from the fleet's next revision), and fail.
      scenario.sim.apply([appsTestHealthChecked('1s')]);
      scenario.fleet.commit('dev', '6.5.2');
      expect(
        await eventually(async () => {
          const gate = await prodHealthGate(b);
          return gate?.state === 'failed' ? gate : undefined;
        }, 30_000),
      ).toMatchObject({
        reason:
          'health in test failed: Kustomization flux-system/apps-test on main: health check failed',
      });
      await settle();
      expect((await testPromotions(b)).map((p: any) => p.trigger)).toEqual([
        'manual',
      ]);
      expect((await b.environment('test')).hold).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    "a tenant's failing apps-test in namespace test does not roll back, %p",
    async databaseId => {
      const { b, knex } = await startWithHealthGate(scenario, databaseId, '1m');
      await promoteIntoTest(scenario, b);
      scenario.sim.apply([tenantAppsTest(false)]);
      // The tenant's object is seen, failed, and changes nothing.
      await eventually(
        async () =>
          !!(await knex('deployments')
            .where({
              kind: 'Kustomization',
              namespace: 'test',
              status: 'failed',
            })
            .first()),
        20_000,
      );
      await settle();
      expect((await testPromotions(b)).map((p: any) => p.trigger)).toEqual([
        'manual',
      ]);
      expect((await b.environment('test')).hold).toBeUndefined();
      expect((await prodHealthGate(b))?.state).toBe('passed');
    },
  );
});
