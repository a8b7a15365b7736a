import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabasePromotionStore } from './DatabasePromotionStore';
import { NewPromotion } from './PromotionStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();
const PIPELINE = { namespace: 'flux-system', name: 'podinfo' };

function request(overrides: Partial<NewPromotion> = {}): NewPromotion {
  return {
    pipelineNamespace: 'flux-system',
    pipelineName: 'podinfo',
    environment: 'test',
    fromEnvironment: 'dev',
    version: '6.1.0',
    trigger: 'manual',
    strategy: 'commit',
    state: 'in-progress',
    requestedBy: 'user:default/ada',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabasePromotionStore on %s',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      return new DatabasePromotionStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
    }

    it('stores a promotion and reads it back', async () => {
      const store = await createStore();
      const { promotion, created } = await store.create(
        request({ appVersion: '6.1.0', previousVersion: '6.0.0' }),
      );
      expect(created).toBe(true);
      expect(await store.get(promotion.id)).toEqual(promotion);
      expect(promotion).toMatchObject({
        environment: 'test',
        version: '6.1.0',
        previousVersion: '6.0.0',
        state: 'in-progress',
      });
      expect(await store.list(PIPELINE)).toEqual([promotion]);
    });

    it('creates one promotion from 100 concurrent identical requests', async () => {
      const store = await createStore();
      const results = await Promise.all(
        Array.from({ length: 100 }, () => store.create(request())),
      );
      expect(results.filter(r => r.created)).toHaveLength(1);
      expect(new Set(results.map(r => r.promotion.id)).size).toBe(1);
      expect(await store.list(PIPELINE)).toHaveLength(1);
    });

    it('allows one running promotion per environment, and a new one once it is final', async () => {
      const store = await createStore();
      const first = await store.create(request());
      const other = await store.create(request({ version: '6.2.0' }));
      expect(other.created).toBe(false);
      expect(other.promotion.id).toBe(first.promotion.id);
      const prod = await store.create(request({ environment: 'prod' }));
      expect(prod.created).toBe(true);

      await store.update(first.promotion.id, ['in-progress'], {
        state: 'deployed',
      });
      const next = await store.create(request({ version: '6.2.0' }));
      expect(next.created).toBe(true);
      expect(next.promotion.version).toBe('6.2.0');
    });

    it('promotes a version automatically at most once, even after the first one finished', async () => {
      const store = await createStore();
      const auto = request({ trigger: 'automatic', requestedBy: 'pipeline' });
      const first = await store.create(auto);
      await store.update(first.promotion.id, ['in-progress'], {
        state: 'failed',
        error: 'push rejected',
      });
      const again = await store.create(auto);
      expect(again.created).toBe(false);
      expect(again.promotion).toMatchObject({
        id: first.promotion.id,
        state: 'failed',
      });
      // A person may still promote it by hand.
      expect((await store.create(request())).created).toBe(true);
    });

    it('changes state only from the expected states', async () => {
      const store = await createStore();
      const { promotion } = await store.create(
        request({ state: 'waiting-approval' }),
      );
      const approvals = await Promise.all([
        store.update(promotion.id, ['waiting-approval'], {
          state: 'in-progress',
          approvedBy: 'user:default/ada',
        }),
        store.update(promotion.id, ['waiting-approval'], {
          state: 'in-progress',
          approvedBy: 'user:default/bob',
        }),
      ]);
      expect(approvals.filter(Boolean)).toHaveLength(1);
      const moved = await store.update(promotion.id, ['in-progress'], {
        state: 'pr-open',
        pullRequestUrl: 'https://github.com/org/fleet/pull/1',
      });
      expect(moved).toMatchObject({
        state: 'pr-open',
        pullRequestUrl: 'https://github.com/org/fleet/pull/1',
      });
      expect(await store.listActive()).toEqual([moved]);
      await store.update(promotion.id, ['pr-open'], { state: 'superseded' });
      expect(await store.listActive()).toEqual([]);
    });

    it('records when a promotion was approved, and keeps it through later changes', async () => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(id) }),
      );
      let now = new Date('2026-11-02T13:00:00Z');
      const store = new DatabasePromotionStore(knex, () => now);
      const { promotion } = await store.create(
        request({ state: 'waiting-approval' }),
      );
      const approvedAt = async () => {
        const row = await knex('promotions')
          .where({ id: promotion.id })
          .first();
        return row.approved_at === null ? null : new Date(row.approved_at);
      };
      expect(await approvedAt()).toBeNull();
      now = new Date('2026-11-03T09:00:00Z');
      await store.update(promotion.id, ['waiting-approval'], {
        state: 'requested',
        approvedBy: 'user:default/bob',
      });
      now = new Date('2026-11-03T11:00:00Z');
      await store.update(promotion.id, ['requested'], { state: 'merged' });
      expect(await approvedAt()).toEqual(new Date('2026-11-03T09:00:00Z'));
    });

    it('keeps and releases rollback holds per environment', async () => {
      const store = await createStore();
      const hold = {
        version: '6.0.0',
        heldBy: 'user:default/ada',
        heldAt: '2026-11-26T10:00:00.000Z',
      };
      await store.setHold(PIPELINE, 'prod', hold);
      await store.setHold(PIPELINE, 'prod', hold);
      expect(await store.holds(PIPELINE)).toEqual(new Map([['prod', hold]]));
      expect(await store.releaseHold(PIPELINE, 'prod')).toBe(true);
      expect(await store.releaseHold(PIPELINE, 'prod')).toBe(false);
      expect((await store.holds(PIPELINE)).size).toBe(0);
    });
  },
);
