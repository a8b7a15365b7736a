import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { PromotionService } from './PromotionService';
import {
  promotionToProd,
  rollbackOptions,
} from './__testUtils__/rollbackFixtures';

const databases = createTestDatabases();

describe('automatic rollback in the follow-up passes', () => {
  it.each(databases.eachSupportedId())(
    'looks at the environment after a deployment change or while a promotion is under way, not on every pass, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      const store = new DatabasePromotionStore(knex);
      let looks = 0;
      const counted = new Proxy(store, {
        get(target, key) {
          const value = (target as any)[key];
          if (key !== 'list') return value.bind(target);
          return (...args: Parameters<typeof store.list>) => {
            looks += 1;
            return store.list(...args);
          };
        },
      });
      const service = new PromotionService(rollbackOptions(counted, knex));
      const promotion = await promotionToProd(store, 'committed');
      try {
        // Under way: every pass looks.
        await service.process();
        await service.process();
        expect(looks).toBe(2);
        await store.update(promotion.id, ['committed'], { state: 'deployed' });
        await service.process(); // sees it concluded
        await service.process();
        await service.process();
        expect(looks).toBe(3);
        service.deploymentsChanged();
        await service.process();
        expect(looks).toBe(4);
      } finally {
        service.stop();
      }
    },
  );
});
