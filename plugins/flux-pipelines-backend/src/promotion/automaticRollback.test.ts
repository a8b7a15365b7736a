import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDatabase } from '../database/migrateDatabase';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  PromotionScenario,
  commitAndWait,
  startPromotionBackend,
  usePromotionScenario,
} from './__testUtils__/promotionScenario';
import { fastCanary, planCanary } from './__testUtils__/canaries';

jest.setTimeout(150_000);

const databases = createTestDatabases();

type Backend = Awaited<ReturnType<typeof startPromotionBackend>>;

/** Promotion into test and prod by commit, never automatic; prod's rollback as given. */
function promotionConfig(fleetUrl: string, rollback?: object) {
  return {
    pipelines: [
      {
        pipeline: 'flux-system/podinfo',
        strategy: { commit: { url: fleetUrl, branch: 'main' } },
        environments: [
          { name: 'test', automatic: false },
          { name: 'prod', automatic: false, ...(rollback ? { rollback } : {}) },
        ],
      },
    ],
  };
}

/** The next release of `version` in prod fails (the stand-in's plan). */
async function failsInProd(scenario: PromotionScenario, version: string) {
  const res = await fetch(`${scenario.sim.url}/_sim/helmreleases/outcomes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      namespace: 'prod',
      name: 'podinfo',
      version,
      outcomes: ['fail'],
    }),
  });
  expect(res.status).toBe(200);
}

/** Brings `version` through dev and test (promoted) until prod may take it. */
async function readyForProd(
  b: Backend,
  scenario: PromotionScenario,
  version: string,
) {
  await commitAndWait(b, scenario.fleet, 'dev', version);
  expect((await b.promote({ environment: 'test', version })).status).toBe(201);
  await eventually(
    async () => (await b.environment('prod')).promotable?.version === version,
    30_000,
  );
}

const prodPromotions = async (b: Backend) =>
  (await b.get('/promotions')).items.filter(
    (p: any) => p.environment === 'prod',
  );
const settle = () => new Promise(r => setTimeout(r, 3000));

describe('automatic rollback', () => {
  const scenario = usePromotionScenario('flux-pipelines-rollback-');

  it.each(databases.eachSupportedId())(
    'a promoted version that fails in prod is rolled back exactly once across two replicas, and prod is held, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      const extra = {
        knex,
        promotion: promotionConfig(scenario.fleet.url, { automatic: true }),
      };
      const b = await startPromotionBackend(
        scenario.sim,
        scenario.fleet.url,
        extra,
      );
      scenario.backend = b;
      const second = await startPromotionBackend(
        scenario.sim,
        scenario.fleet.url,
        extra,
      );
      try {
        await failsInProd(scenario, '6.5.1');
        await readyForProd(b, scenario, '6.5.1');
        expect(
          (await b.promote({ environment: 'prod', version: '6.5.1' })).status,
        ).toBe(201);

        const rollback = await eventually(async () => {
          const found = (await prodPromotions(b)).find(
            (p: any) => p.trigger === 'rollback' && p.state === 'deployed',
          );
          return found;
        }, 40_000).catch(async e => {
          throw new Error(
            `${e}: ${JSON.stringify(await prodPromotions(b))} ${JSON.stringify(
              await b.environment('prod'),
            )}`,
          );
        });
        expect(rollback).toMatchObject({
          version: '6.5.0',
          previousVersion: expect.any(String),
          requestedBy: 'pipeline',
          reason:
            'automatic rollback: 6.5.1 failed in prod (release failed on main/prod)',
        });
        const prod = await b.environment('prod');
        expect(prod.hold).toMatchObject({
          version: '6.5.0',
          heldBy: 'pipeline',
        });
        expect(prod.targets[0].deployed.chartVersion).toBe('6.5.0');
        expect(scenario.fleet.log()).toContain('6.5.0');

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

  it('rolls back a promoted version whose canary fails in prod, saying so', async () => {
    scenario.sim.apply([fastCanary('prod')]);
    await planCanary(scenario.sim, 'prod', '6.5.1', 'fail');
    const b = await startPromotionBackend(scenario.sim, scenario.fleet.url, {
      promotion: promotionConfig(scenario.fleet.url, { automatic: true }),
    });
    scenario.backend = b;
    await readyForProd(b, scenario, '6.5.1');
    expect(
      (await b.promote({ environment: 'prod', version: '6.5.1' })).status,
    ).toBe(201);
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
    const b = await startPromotionBackend(scenario.sim, scenario.fleet.url, {
      promotion: promotionConfig(scenario.fleet.url),
    });
    scenario.backend = b;
    await failsInProd(scenario, '6.5.1');
    await readyForProd(b, scenario, '6.5.1');
    expect(
      (await b.promote({ environment: 'prod', version: '6.5.1' })).status,
    ).toBe(201);
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
    const b = await startPromotionBackend(scenario.sim, scenario.fleet.url, {
      promotion: promotionConfig(scenario.fleet.url, { automatic: true }),
    });
    scenario.backend = b;
    await readyForProd(b, scenario, '6.5.1');
    expect(
      (await b.promote({ environment: 'prod', version: '6.5.1' })).status,
    ).toBe(201);
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
