import { Knex } from 'knex';
import { eventually } from '../../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  PromotionScenario,
  commitAndWait,
  promotionIntoProd,
  startPromotionBackend,
} from './promotionScenario';

export type Backend = Awaited<ReturnType<typeof startPromotionBackend>>;

/** The next release of `version` in prod fails (the stand-in's plan). */
export async function failsInProd(
  scenario: PromotionScenario,
  version: string,
) {
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
export async function promotedToProd(
  scenario: PromotionScenario,
  version: string,
  options: { rollback?: object; knex?: Knex; replicas?: number } = {},
): Promise<Backend[]> {
  const extra = {
    knex: options.knex,
    promotion: promotionIntoProd(
      scenario.fleet.url,
      options.rollback ? { rollback: options.rollback } : {},
    ),
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

export const prodPromotions = async (b: Backend) =>
  (await b.get('/promotions')).items.filter(
    (p: any) => p.environment === 'prod',
  );
export const settle = () => new Promise(r => setTimeout(r, 3000));
