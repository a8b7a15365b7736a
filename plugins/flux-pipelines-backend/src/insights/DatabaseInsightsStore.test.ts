import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDatabase } from '../database/migrateDatabase';
import { targetRef } from '../domain/objectKey';
import { DatabaseInsightsStore } from './DatabaseInsightsStore';
import {
  D,
  H,
  PERIOD,
  pipeline,
  seedScenario,
} from './__testUtils__/insightsScenario';

const databases = createTestDatabases();
const DAY = 86_400_000;

/** A figure of `n` values with this median and 90th percentile, in hours. */
const hours = (n: number, median: number, p90 = median) => ({
  n,
  medianMs: median * H,
  p90Ms: p90 * H,
});

describe.each(databases.eachSupportedId())(
  'DatabaseInsightsStore on %s',
  id => {
    let store: DatabaseInsightsStore;

    beforeAll(async () => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(id) }),
      );
      await seedScenario(knex);
      store = new DatabaseInsightsStore(knex);
    });

    const figures = (environment: string, period = PERIOD) => {
      const index = pipeline.environments.findIndex(
        e => e.name === environment,
      );
      const env = pipeline.environments[index];
      const previous = pipeline.environments[index - 1];
      return store.environmentFigures({
        previous: previous && {
          environment: previous.name,
          targets: previous.targets.map(t => targetRef(pipeline, t)),
        },
        pipeline: { namespace: pipeline.namespace, name: pipeline.name },
        environment,
        targets: env.targets.map(t => targetRef(pipeline, t)),
        firstTargets: pipeline.environments[0].targets.map(t =>
          targetRef(pipeline, t),
        ),
        ...period,
      });
    };

    it('counts dev: successes, a failure restored 3 h later, an unconfirmed success left out, a week without deployments', async () => {
      const dev = await figures('dev');
      expect(dev).toMatchObject({ succeeded: 3, failed: 1, unconfirmed: 1 });
      // 2, 3 and 4 November; nothing confirmed from the 5th to the 14th.
      expect(dev.perDay.map(d => new Date(d.day * DAY).getUTCDate())).toEqual([
        2, 3, 4,
      ]);
      expect(dev.perDay.every(d => d.count === 1)).toBe(true);
      expect(dev.timeToRestore).toEqual(hours(1, 3));
      // Durations 1 h, 30 min, 1 h.
      expect(dev.duration).toEqual(hours(3, 1));
      expect(dev.leadTime).toMatchObject({
        n: 3,
        medianMs: 1 * H,
        skippedFirstEnvironment: 0,
      });
    });

    it('counts test: a rollback is a failure that restores service, not a deployment; the hand commit skipped dev', async () => {
      const test = await figures('test');
      // 1.2.2 and 1.1.0: going back to 1.0.0 is the rollback, and 1.0.0's first success there is lost.
      expect(test).toMatchObject({ succeeded: 2, failed: 1 });
      expect(test.perDay).toEqual([
        { day: Date.parse(D(6, 0)) / DAY, count: 1 },
        { day: Date.parse(D(8, 0)) / DAY, count: 1 },
      ]);
      // The rollback at 11:00 restored the failure of 10:00.
      expect(test.timeToRestore).toEqual(hours(1, 1));
      // 1.0.0's 72 h "duration" up to the rollback is not a deployment's.
      expect(test.duration).toEqual(hours(2, 1));
      // 1.1.0 from its dev start (3 Nov 09:00); 1.2.2 never was in dev.
      expect(test.leadTime).toEqual({
        ...hours(1, 121),
        skippedFirstEnvironment: 1,
      });
      // 1.1.0 from its arrival in dev (3 Nov 09:30).
      expect(test.hopTime).toEqual(hours(1, 120.5));
    });

    it('counts prod: a version reaches it only on every target; promotion time includes the wait for approval', async () => {
      const prod = await figures('prod');
      expect(prod).toMatchObject({ succeeded: 3, failed: 0 });
      // 1.0.0 started in dev on 2 Nov 09:00 and reached its last prod target on 3 Nov 11:00.
      expect(prod.leadTime).toMatchObject({ n: 1, medianMs: 26 * H });
      // 1.0.0's arrival in test was lost to the rollback to it; 1.1.0 is on one prod target only.
      expect(prod.hopTime).toEqual({ n: 0, medianMs: null, p90Ms: null });
      expect(prod.promotionTime).toEqual(hours(1, 22));
      // Durations 1 h, 2 h, 1 h: percentile_cont's interpolation on both databases.
      expect(prod.duration).toEqual(hours(3, 1, 1.8));
      expect(prod.slowestTargets).toEqual([
        {
          cluster: 'edge',
          namespace: 'prod-b',
          n: 1,
          medianMs: 2 * H,
          p90Ms: 2 * H,
        },
        {
          cluster: 'edge',
          namespace: 'prod-a',
          n: 2,
          medianMs: 1 * H,
          p90Ms: 1 * H,
        },
      ]);
      expect(prod.timeToRestore).toEqual({ n: 0, medianMs: null, p90Ms: null });
    });

    it('has nothing to count in an environment without targets', async () => {
      const empty = await store.environmentFigures({
        pipeline: { namespace: pipeline.namespace, name: pipeline.name },
        environment: 'staging',
        targets: [],
        firstTargets: [],
        ...PERIOD,
      });
      expect(empty).toMatchObject({ succeeded: 0, failed: 0, perDay: [] });
    });

    it('counts only the period asked for', async () => {
      const later = await figures('dev', {
        from: new Date('2026-11-05T00:00:00Z'),
        to: new Date('2026-11-25T00:00:00Z'),
      });
      expect(later).toMatchObject({ succeeded: 0, failed: 1, unconfirmed: 1 });
      expect(later.perDay).toEqual([]);
      expect(later.leadTime.n).toBe(0);
      // The failure of 20 Nov has not been restored.
      expect(later.timeToRestore.n).toBe(0);
    });
  },
);

describe.each(databases.eachSupportedId())('the hop split on %s', id => {
  it("splits test's hop into waiting (dev's success to the start in test, no promotion) and deploying", async () => {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    await seedScenario(knex);
    const refs = (index: number) =>
      pipeline.environments[index].targets.map(t => targetRef(pipeline, t));
    const test = await new DatabaseInsightsStore(knex).environmentFigures({
      pipeline: { namespace: pipeline.namespace, name: pipeline.name },
      environment: 'test',
      targets: refs(1),
      firstTargets: refs(0),
      previous: { environment: 'dev', targets: refs(0) },
      ...PERIOD,
    });
    // 1.1.0 arrived in dev on 3 Nov 09:30, started in test on 8 Nov 09:00, arrived at 10:00.
    expect(test.hopWaiting).toEqual(hours(1, 119.5));
    expect(test.hopDeploying).toEqual(hours(1, 1));
  });
});
