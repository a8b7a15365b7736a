import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  usePromotionScenario,
  startPromotionBackend,
} from '../promotion/__testUtils__/promotionScenario';

jest.setTimeout(90_000);

const databases = createTestDatabases();

/**
 * The README's hand commit, through the real plugin: dev runs 6.5.1, someone
 * commits 6.9.9 straight into test. The API must say test is ahead of dev
 * (never behind), that 6.9.9 skipped dev, offer no downgrade into test, and
 * show versions that only wait for a promotion as waiting.
 */
describe.each(databases.eachSupportedId())(
  'a hand commit past dev, on %p',
  databaseId => {
    const scenario = usePromotionScenario('flux-pipelines-hand-commit-');

    it('says test is ahead of dev, 6.9.9 skipped dev, and offers no downgrade', async () => {
      const { sim, fleet } = scenario;
      const b = await startPromotionBackend(sim, fleet.url, {
        knex: await databases.init(databaseId),
      });
      scenario.backend = b;
      const runs = (environment: string, version: string) =>
        eventually(async () => {
          const env = await b.environment(environment);
          return env.running === version;
        }, 30_000);
      fleet.commit('dev', '6.5.1');
      await runs('dev', '6.5.1');
      fleet.commit('test', '6.9.9');
      await runs('test', '6.9.9');

      const test = await eventually(async () => {
        const env = await b.environment('test');
        return env.relation?.position === 'ahead' && env;
      }, 30_000);
      expect(test.relation).toEqual({
        upstream: 'dev',
        position: 'ahead',
        versions: 1,
      });
      expect(test.skipped).toEqual(['dev']);
      expect(test.promotable).toBeUndefined();
      expect(test.activity).toEqual({ kind: 'ahead', version: '6.9.9' });
      const prod = await b.environment('prod');
      expect(prod.relation).toMatchObject({
        upstream: 'test',
        position: 'behind',
      });

      // Going back from 6.9.9 to dev's 6.5.1 is no promotion.
      const downgrade = await b.promote({
        environment: 'test',
        version: '6.5.1',
        entityRef: 'component:default/podinfo',
      });
      expect(downgrade.status).toBeGreaterThanOrEqual(400);
      expect(downgrade.status).toBeLessThan(500);

      const { items } = await b.get('/executions');
      const byVersion = (v: string) =>
        items.find((e: any) => e.chartVersion === v);
      const states = (v: string) =>
        Object.fromEntries(
          byVersion(v).environments.map((e: any) => [e.name, e.state]),
        );
      expect(byVersion('6.9.9').skipped).toEqual(['dev']);
      expect(states('6.9.9')).toMatchObject({
        dev: 'skipped',
        test: 'succeeded',
      });
      expect(['waiting', 'awaiting-approval']).toContain(
        byVersion('6.9.9').status,
      );
      expect(byVersion('6.5.1').status).toBe('waiting');
      expect(states('6.5.1')).toEqual({
        dev: 'succeeded',
        test: 'waiting',
        prod: 'waiting',
      });
      // 6.5.0 ran everywhere before the plugin watched: no "0s" lead time.
      expect(byVersion('6.5.0').leadTimeMs).toBeUndefined();

      // Promoting 6.9.9 into prod waits for approval: the environment, the
      // execution and nothing else say so.
      // Once its Helm tests passed in test; until then prod says it is
      // confirming, never "nothing to promote".
      const seen = new Set<string>();
      await eventually(async () => {
        const { activity } = await b.environment('prod');
        seen.add(activity.kind);
        return activity.kind !== 'confirming';
      }, 30_000);
      expect(seen).not.toContain('up-to-date');
      const asked = await b.promote({
        environment: 'prod',
        version: '6.9.9',
        entityRef: 'component:default/podinfo',
      });
      if (asked.status >= 300) throw new Error(JSON.stringify(asked.body));
      expect((await b.environment('prod')).activity).toEqual({
        kind: 'awaiting-approval',
        version: '6.9.9',
      });
      const after = (await b.get('/executions')).items.find(
        (e: any) => e.chartVersion === '6.9.9',
      );
      expect(after.status).toBe('awaiting-approval');
      expect(after.environments.map((e: any) => e.state)).toEqual([
        'skipped',
        'succeeded',
        'awaiting-approval',
      ]);
    });
  },
);
