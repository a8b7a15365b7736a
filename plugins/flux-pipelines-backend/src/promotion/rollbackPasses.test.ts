import { mockServices } from '@backstage/backend-test-utils';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { PromotionService } from './PromotionService';

const databases = createTestDatabases();

const pipeline = {
  namespace: 'flux-system',
  name: 'podinfo',
  appRef: { kind: 'HelmRelease', name: 'podinfo' },
  environments: [
    { name: 'test', targets: [{ cluster: 'main', namespace: 'test' }] },
    {
      name: 'prod',
      targets: [{ cluster: 'main', namespace: 'prod' }],
      promotion: {
        automatic: false,
        rollback: { automatic: true },
        strategy: { type: 'commit', url: 'file:///fleet.git', branch: 'main' },
      },
    },
  ],
} as Pipeline;

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
      const service = new PromotionService({
        store: counted,
        deployments: new DatabaseDeploymentStore(knex),
        listPipelines: async () => [pipeline],
        strategyFor: () => {
          throw new Error('nothing is carried out here');
        },
        resolveAuthor: async () => ({ name: 'p', email: 'p@example.com' }),
        logger: mockServices.logger.mock(),
      });
      const { promotion } = await store.create({
        pipelineNamespace: 'flux-system',
        pipelineName: 'podinfo',
        environment: 'prod',
        version: '6.5.1',
        trigger: 'manual',
        strategy: 'commit',
        state: 'committed',
        requestedBy: 'user:default/ada',
      });
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
