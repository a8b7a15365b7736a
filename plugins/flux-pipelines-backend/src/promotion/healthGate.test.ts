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
import { fastCanary, planCanary } from './__testUtils__/canaries';
import { RESOURCE_TYPES } from '@internal/cluster-sim';

const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
const CANARY = RESOURCE_TYPES.find(t => t.kind === 'Canary')!;

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe('the health gate through the promote API', () => {
  const scenario = usePromotionScenario('flux-pipelines-health-');

  it.each(databases.eachSupportedId())(
    'a canary that failed in test refuses the promotion to prod naming the gate; a succeeding one lets it through, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      scenario.sim.apply([fastCanary('test')]);
      const b = await startPromotionBackend(scenario.sim, scenario.fleet.url, {
        knex,
        promotion: promotionIntoProd(scenario.fleet.url, {
          gates: { health: { canary: true } },
        }),
      });
      scenario.backend = b;
      /** What test, the promotions and the stand-in said (for a failure's message). */
      const stuck = async () => {
        const brief = (d: any) =>
          d &&
          `${d.chartVersion} ${d.status}${d.message ? ` (${d.message})` : ''}`;
        const test = await b.environment('test').catch(String);
        const promotions = await b.get('/promotions').catch(String);
        const events = await b
          .get('/environments/test/events?limit=8')
          .catch(String);
        const hr = scenario.sim.store.list(HELM_RELEASE, 'test')[0];
        const canary = scenario.sim.store.list(CANARY, 'test')[0];
        return JSON.stringify({
          test: test?.targets?.map((t: any) => ({
            latest: brief(t.latest),
            deployed: brief(t.deployed),
          })),
          activity: test?.activity,
          promotions: promotions?.items?.map(
            (p: any) =>
              `${p.environment} ${p.version} ${p.state} ${p.message ?? ''}`,
          ),
          events: events?.items?.map(
            (o: any) =>
              `${o.action} ${o.outcome} ${o.chartVersion} ${o.source}`,
          ),
          helmRelease: hr?.status?.history
            ?.slice(0, 3)
            .map((h: any) => `${h.chartVersion} ${h.status}`),
          conditions: hr?.status?.conditions?.map(
            (c: any) => `${c.type}=${c.status} ${c.reason}`,
          ),
          canary: canary?.status?.phase,
        });
      };
      /** Brings `version` through dev into test, its canary there ending `outcome`. */
      const intoTest = async (version: string, outcome: 'fail' | 'success') => {
        await planCanary(scenario.sim, 'test', version, outcome);
        await commitAndWait(b, scenario.fleet, 'dev', version);
        const promoted = await b.promote({ environment: 'test', version });
        expect(promoted.status).toBe(201);
        let last: unknown;
        return eventually(async () => {
          const prod = await b.environment('prod');
          const gate = prod.gates?.find((g: any) => g.gate === 'health');
          last = { promotable: prod.promotable, gates: prod.gates };
          return prod.promotable?.version === version &&
            gate?.state !== 'waiting'
            ? gate
            : undefined;
        }, 30_000).catch(async e => {
          throw new Error(
            `${e.message}; prod said ${JSON.stringify(last)}; ${await stuck()}`,
          );
        });
      };

      const failedGate = await intoTest('6.5.1', 'fail');
      expect(failedGate).toEqual({
        gate: 'health',
        state: 'failed',
        reason: 'health in test failed: canary failed on main/test (podinfo)',
      });
      const refused = await b.promote({
        environment: 'prod',
        version: '6.5.1',
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(
        /^refused by gate health of prod: health in test failed: canary failed on main\/test \(podinfo\)/,
      );
      expect(
        (await b.get('/promotions')).items.filter(
          (p: any) => p.environment === 'prod',
        ),
      ).toEqual([]);

      const passedGate = await intoTest('6.5.2', 'success');
      expect(passedGate).toMatchObject({ gate: 'health', state: 'passed' });
      const promoted = await b.promote({
        environment: 'prod',
        version: '6.5.2',
      });
      expect(promoted.status).toBe(201);
      expect(promoted.body).toMatchObject({
        environment: 'prod',
        version: '6.5.2',
      });
    },
  );
});
