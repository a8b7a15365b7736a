import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDatabase } from '../database/migrateDatabase';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { fastCanary, planCanary } from '../promotion/__testUtils__/canaries';
import { usePromotionScenario } from '../promotion/__testUtils__/promotionScenario';
import {
  prodPromotions,
  promotedToProd,
  settle,
} from '../promotion/__testUtils__/rollbackScenario';

jest.setTimeout(150_000);

const databases = createTestDatabases();

/**
 * A tenant of prod (admin of its namespace) creates a Flagger Canary there
 * that "follows" podinfo and fails, to make the plugin roll prod back (and
 * hold it) without any release failing. With `rollback: { automatic: true }`
 * alone, a canary's failure is no reason to roll back.
 */
describe('a tenant forging a failed canary', () => {
  const scenario = usePromotionScenario('flux-pipelines-forged-canary-');

  it.each(databases.eachSupportedId())(
    'does not trigger an automatic rollback unless rollback.onCanaryFailure is set, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      // The tenant's Canary: labelled as podinfo's, failing the analysis of 6.5.1.
      scenario.sim.apply([fastCanary('prod')]);
      await planCanary(scenario.sim, 'prod', '6.5.1', 'fail');
      const [b] = await promotedToProd(scenario, '6.5.1', {
        rollback: { automatic: true },
        knex,
      });
      await eventually(
        async () =>
          !!(await knex('canary_phases')
            .where({ namespace: 'prod', phase: 'Failed' })
            .first()),
        30_000,
      );
      await eventually(
        async () =>
          (await prodPromotions(b)).find((p: any) => p.trigger === 'manual')
            ?.state === 'deployed',
        30_000,
      );
      await settle();

      expect(
        (await prodPromotions(b)).map((p: any) => [p.trigger, p.version]),
      ).toEqual([['manual', '6.5.1']]);
      expect((await b.environment('prod')).hold).toBeUndefined();
      expect((await b.environment('prod')).targets[0].deployed).toMatchObject({
        chartVersion: '6.5.1',
      });
    },
  );
});
