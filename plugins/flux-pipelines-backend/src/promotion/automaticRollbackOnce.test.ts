import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { PromotionStore } from '../database/PromotionStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { deployment } from '../domain/__testUtils__/deployment';
import { AutomaticRollback } from './AutomaticRollback';
import { PromotionRecords } from './PromotionRecords';
import { PromotionRules } from './PromotionRules';
import {
  promotionToProd,
  rollbackOptions,
  rollbackPipeline,
} from './__testUtils__/rollbackFixtures';

const databases = createTestDatabases();

/** One replica's automatic rollback, over the shared database. */
function replica(store: PromotionStore, knex: Knex): AutomaticRollback {
  const options = rollbackOptions(store, knex);
  return new AutomaticRollback(
    options,
    new PromotionRules(options),
    new PromotionRecords(options),
  );
}

describe('automatic rollback, exactly once', () => {
  it.each(databases.eachSupportedId())(
    'two replicas that read the same failed promotion roll it back once, even when the first rollback already finished, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      const store = new DatabasePromotionStore(knex);
      const failed = await promotionToProd(store, 'failed');
      const later = new Date(Date.parse(failed.requestedAt) + 60_000);
      const prod = { cluster: 'main', namespace: 'prod' };
      await new DatabaseDeploymentStore(knex).save([
        deployment('6.5.0', 'superseded', {
          ...prod,
          finishedAt: '2026-12-01T08:00:00Z',
          updatedAt: '2026-12-01T08:00:00Z',
        }),
        deployment('6.5.1', 'failed', {
          ...prod,
          updatedAt: later.toISOString(),
        }),
      ]);

      // Replica B read the environment's latest promotion (the failed one)
      // at the same instant as A, and writes only after A's rollback ended.
      const [seenByB] = await store.list(rollbackPipeline, {
        environment: 'prod',
        limit: 1,
      });
      expect(seenByB).toMatchObject({ id: failed.id, state: 'failed' });
      const staleStore = new Proxy(store, {
        get(target, key) {
          if (key === 'list') return async () => [seenByB];
          const value = (target as any)[key];
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });

      await replica(store, knex).start([rollbackPipeline]);
      const [first] = await store.list(rollbackPipeline, {
        environment: 'prod',
      });
      expect(first).toMatchObject({
        trigger: 'rollback',
        version: '6.5.0',
        state: 'requested',
      });
      // A's rollback is committed and deployed: the environment's slot is free again.
      await store.update(first.id, ['requested'], { state: 'deployed' });

      await replica(staleStore, knex).start([rollbackPipeline]);

      const rollbacks = (
        await store.list(rollbackPipeline, { environment: 'prod' })
      ).filter(p => p.trigger === 'rollback');
      expect(rollbacks.map(p => [p.version, p.state])).toEqual([
        ['6.5.0', 'deployed'],
      ]);
    },
  );
});
