import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDatabase } from '../database/migrateDatabase';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { usePromotionScenario } from './__testUtils__/promotionScenario';
import { fastCanary, planCanary } from './__testUtils__/canaries';
import {
  failsInProd,
  prodPromotions,
  promotedToProd,
  settle,
} from './__testUtils__/rollbackScenario';

jest.setTimeout(150_000);

const databases = createTestDatabases();

describe('automatic rollback', () => {
  const scenario = usePromotionScenario('flux-pipelines-rollback-');

  it.each(databases.eachSupportedId())(
    'a promoted version that fails in prod is rolled back exactly once across two replicas, and prod is held, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      await failsInProd(scenario, '6.5.1');
      const [b, second] = await promotedToProd(scenario, '6.5.1', {
        rollback: { automatic: true },
        knex,
        replicas: 2,
      });
      try {
        const rollback = await eventually(async () => {
          const found = (await prodPromotions(b)).find(
            (p: any) => p.trigger === 'rollback' && p.state === 'deployed',
          );
          return found;
        }, 40_000);
        expect(rollback).toMatchObject({
          version: '6.5.0',
          requestedBy: 'pipeline',
          // Committed to the fleet repository, as the environment's strategy does.
          commitSha: expect.any(String),
          reason:
            'automatic rollback: 6.5.1 failed in prod (release failed on main/prod)',
        });
        const prod = await b.environment('prod');
        expect(prod.hold).toMatchObject({
          version: '6.5.0',
          heldBy: 'pipeline',
        });
        // Flux applies the commit: prod runs 6.5.0 again, from the repository.
        let t: any;
        await eventually(async () => {
          t = (await b.environment('prod')).targets[0];
          return (
            t.latest?.chartVersion === '6.5.0' &&
            t.deployed?.chartVersion === '6.5.0'
          );
        }, 20_000).catch(e => {
          throw new Error(`${e} ${JSON.stringify(t)}`);
        });

        await settle();
        const promotions = await prodPromotions(b);
        expect(
          promotions.map((p: any) => [p.trigger, p.version, p.state]),
        ).toEqual([
          ['rollback', '6.5.0', 'deployed'],
          ['manual', '6.5.1', 'failed'],
        ]);
      } finally {
        await second.backend.stop();
      }
    },
  );

  it('rolls back a promoted version whose canary fails in prod with onCanaryFailure, saying so', async () => {
    scenario.sim.apply([fastCanary('prod')]);
    await planCanary(scenario.sim, 'prod', '6.5.1', 'fail');
    const [b] = await promotedToProd(scenario, '6.5.1', {
      rollback: { automatic: true, onCanaryFailure: true },
    });
    const rollback = await eventually(
      async () =>
        (await prodPromotions(b)).find((p: any) => p.trigger === 'rollback'),
      30_000,
    );
    expect(rollback).toMatchObject({
      version: '6.5.0',
      reason:
        'automatic rollback: 6.5.1 failed in prod (canary failed on main/prod)',
    });
    expect((await prodPromotions(b))[1]).toMatchObject({
      version: '6.5.1',
      state: 'deployed',
    });
  });

  it('does nothing when the option is off', async () => {
    await failsInProd(scenario, '6.5.1');
    const [b] = await promotedToProd(scenario, '6.5.1');
    await eventually(
      async () => (await prodPromotions(b))[0]?.state === 'failed',
      30_000,
    );
    await settle();
    expect((await prodPromotions(b)).map((p: any) => p.trigger)).toEqual([
      'manual',
    ]);
    expect((await b.environment('prod')).hold).toBeUndefined();
  });

  it('does nothing when the failing version was not promoted by the plugin (a hand commit)', async () => {
    const [b] = await promotedToProd(scenario, '6.5.1', {
      rollback: { automatic: true },
    });
    await eventually(
      async () => (await prodPromotions(b))[0]?.state === 'deployed',
      30_000,
    );
    await failsInProd(scenario, '6.5.2');
    scenario.fleet.commit('prod', '6.5.2');
    await eventually(async () => {
      const t = (await b.environment('prod')).targets[0];
      return t.latest?.chartVersion === '6.5.2' && t.latest.status === 'failed';
    }, 30_000);
    await settle();
    expect((await prodPromotions(b)).map((p: any) => p.trigger)).toEqual([
      'manual',
    ]);
    expect((await b.environment('prod')).hold).toBeUndefined();
  });
});
