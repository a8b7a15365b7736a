import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseReplicaStore } from './DatabaseReplicaStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();

const at = (second: number) => new Date(Date.UTC(2026, 11, 14, 9, 0, second));

describe.each(databases.eachSupportedId())('DatabaseReplicaStore on %s', id => {
  async function createStore() {
    const knex = await databases.init(id);
    return new DatabaseReplicaStore(
      await migrateDatabase(mockServices.database({ knex })),
    );
  }

  it('lists the replicas announced and not expired, drops one that left, and one that stopped renewing once expired', async () => {
    const store = await createStore();
    expect(await store.heartbeat('b', 10_000, { now: at(0) })).toEqual(['b']);
    expect(await store.heartbeat('a', 10_000, { now: at(1) })).toEqual([
      'a',
      'b',
    ]);
    expect(await store.heartbeat('c', 10_000, { now: at(2) })).toEqual([
      'a',
      'b',
      'c',
    ]);
    await store.leave('c');
    // b stops renewing: live until 10 s, gone after
    expect(await store.heartbeat('a', 10_000, { now: at(10) })).toEqual([
      'a',
      'b',
    ]);
    expect(await store.heartbeat('a', 10_000, { now: at(11) })).toEqual(['a']);
    // b comes back
    expect(await store.heartbeat('b', 10_000, { now: at(12) })).toEqual([
      'a',
      'b',
    ]);
  });
});
