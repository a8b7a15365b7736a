import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  API,
  commitAndWait,
  startPromotionBackend,
  usePromotionScenario,
} from './__testUtils__/promotionScenario';

jest.setTimeout(90_000);

const databases = createTestDatabases();

/**
 * A person commits a version by hand further down the pipeline (the demo's
 * `version: 6.9.9` in test while dev runs 6.5.x): the page must not keep
 * showing promotions the environment has moved past, and automatic promotion
 * must not carry the version on into prod, which it never went through dev.
 */
describe.each(databases.eachSupportedId())(
  'a hand commit further down the pipeline, on %s',
  databaseId => {
    const scenario = usePromotionScenario('flux-pipelines-hand-commit-');
    const entityRef = 'component:default/podinfo';

    async function start() {
      const { sim, fleet } = scenario;
      scenario.backend = await startPromotionBackend(sim, fleet.url, {
        knex: await databases.init(databaseId),
      });
      return scenario.backend;
    }
    const runs = (environment: string, version: string, tested = true) =>
      commitAndWait(scenario.backend!, scenario.fleet, environment, version, {
        tested,
      });
    const promotionsOf = async (environment: string) =>
      (await scenario.backend!.get(`/promotions?environment=${environment}`))
        .items as any[];

    it('is not promoted automatically into prod until it succeeded in dev too', async () => {
      const b = await start();
      await runs('test', '6.9.9');
      // Several follow-up passes (every second) see 6.9.9 succeed in test.
      await new Promise(r => setTimeout(r, 3500));
      expect(await promotionsOf('prod')).toEqual([]);
      expect((await b.environment('prod')).promotion).toBeUndefined();

      // Once it passed through dev as well, it goes on (prod asks for approval).
      await runs('dev', '6.9.9');
      const waiting = await eventually(async () => {
        const [first] = await promotionsOf('prod');
        return first?.version === '6.9.9' ? first : undefined;
      }, 20_000);
      expect(waiting).toMatchObject({
        trigger: 'automatic',
        state: 'waiting-approval',
        fromEnvironment: 'test',
      });
    });

    it('drops from the cards promotions the environments have moved past', async () => {
      const b = await start();
      await runs('dev', '6.5.1');
      const promoted = await b.promote({
        environment: 'test',
        version: '6.5.1',
        entityRef,
      });
      expect(promoted.status).toBe(201);
      await eventually(async () => {
        const test = await b.environment('test');
        return test.promotion?.state === 'deployed';
      }, 30_000);
      const waiting = await eventually(async () => {
        const prod = await b.environment('prod');
        return prod.promotion?.state === 'waiting-approval'
          ? prod.promotion
          : undefined;
      }, 20_000);
      expect(waiting.version).toBe('6.5.1');

      // test now runs 6.9.9: "Promoted 6.5.1" is no longer what test runs.
      await runs('test', '6.9.9', false);
      expect((await b.environment('test')).promotion).toBeUndefined();

      // prod now runs 6.9.9 too: approving 6.5.1 would go back, so it is superseded.
      await runs('prod', '6.9.9', false);
      const superseded = await eventually(async () => {
        const [first] = await promotionsOf('prod');
        return first?.state === 'superseded' ? first : undefined;
      }, 20_000);
      expect(superseded.id).toBe(waiting.id);
      expect((await b.environment('prod')).promotion).toBeUndefined();
      const approve = await request(b.server)
        .post(`${API}/promotions/${waiting.id}/approve`)
        .set('Authorization', b.as())
        .send({ entityRef });
      expect(approve.status).toBe(409);
      expect(scenario.fleet.log()).not.toContain('6.5.1 to prod');
    });
  },
);
