import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseClusterLeaseStore } from './DatabaseClusterLeaseStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();

const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 9, 0, second));

describe.each(databases.eachSupportedId())(
  'DatabaseClusterLeaseStore on %s',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      return new DatabaseClusterLeaseStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
    }

    it('gives a cluster to one holder at a time, renews it, and lets another take it once expired', async () => {
      const store = await createStore();
      expect(await store.acquire('main', 'a', 30_000, { now: at(0) })).toBe(
        true,
      );
      expect(await store.acquire('main', 'b', 30_000, { now: at(1) })).toBe(
        false,
      );
      // other clusters are independent
      expect(await store.acquire('edge', 'b', 30_000, { now: at(1) })).toBe(
        true,
      );
      // a renews at 20 s: valid until 50 s
      expect(
        await store.acquire('main', 'a', 30_000, {
          now: at(20),
          health: { name: 'main', connected: true },
        }),
      ).toBe(true);
      expect(await store.acquire('main', 'b', 30_000, { now: at(40) })).toBe(
        false,
      );
      expect(await store.get('main')).toEqual({
        cluster: 'main',
        holder: 'a',
        expiresAt: at(50),
        health: { name: 'main', connected: true },
      });
      // a stopped renewing: b takes over after expiry, and a cannot renew
      expect(await store.acquire('main', 'b', 30_000, { now: at(51) })).toBe(
        true,
      );
      expect(await store.acquire('main', 'a', 30_000, { now: at(52) })).toBe(
        false,
      );
      expect((await store.get('main'))?.holder).toBe('b');
    });

    it('lets another holder take over at once after a release, and ignores a release by a non-holder', async () => {
      const store = await createStore();
      await store.acquire('main', 'a', 30_000, { now: at(0) });
      await store.release('main', 'b');
      expect(await store.acquire('main', 'b', 30_000, { now: at(1) })).toBe(
        false,
      );
      await store.release('main', 'a');
      expect(await store.get('main')).toBeUndefined();
      expect(await store.acquire('main', 'b', 30_000, { now: at(2) })).toBe(
        true,
      );
    });

    it('grants a free cluster to exactly one of many concurrent takers', async () => {
      const store = await createStore();
      const holders = Array.from({ length: 8 }, (_, i) => `replica-${i}`);
      const results = await Promise.all(
        holders.map(h => store.acquire('main', h, 30_000, { now: at(0) })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      // and of an expired one, too
      const later = await Promise.all(
        holders.map(h => store.acquire('main', h, 30_000, { now: at(31) })),
      );
      expect(later.filter(Boolean)).toHaveLength(1);
    });
  },
);
