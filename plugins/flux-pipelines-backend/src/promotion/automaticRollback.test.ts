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

/**
 * Starts `replicas` backends on one database (the first is the scenario's),
 * brings `version` through dev and test, and promotes it to prod.
 */
async function promotedToProd(
  scenario: PromotionScenario,
  version: string,
  options: { rollback?: object; knex?: Knex; replicas?: number } = {},
): Promise<Backend[]> {
  const extra = {
    knex: options.knex,
    promotion: promotionConfig(scenario.fleet.url, options.rollback),
  };
  const backends: Backend[] = [];
  for (let i = 0; i < (options.replicas ?? 1); i++) {
    backends.push(
      await startPromotionBackend(scenario.sim, scenario.fleet.url, extra),
    );
  }
  const b = backends[0];
  scenario.backend = b;
  await commitAndWait(b, scenario.fleet, 'dev', version);
  expect((await b.promote({ environment: 'test', version })).status).toBe(201);
  await eventually(
    async () => (await b.environment('prod')).promotable?.version === version,
    30_000,
  );
  expect((await b.promote({ environment: 'prod', version })).status).toBe(201);
  return backends;
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

  it('rolls back a promoted version whose canary fails in prod, saying so', async () => {
    scenario.sim.apply([fastCanary('prod')]);
    await planCanary(scenario.sim, 'prod', '6.5.1', 'fail');
    const [b] = await promotedToProd(scenario, '6.5.1', {
      rollback: { automatic: true },
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
