import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { CanaryObservation } from '../ingest/normaliseCanary';
import { DatabaseCanaryStore } from './DatabaseCanaryStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();

function phase(
  p: CanaryObservation['phase'],
  over: Partial<CanaryObservation> = {},
): CanaryObservation {
  return {
    cluster: 'prod-eu',
    namespace: 'prod',
    target: 'podinfo',
    canary: 'podinfo',
    specHash: 'h1',
    phase: p,
    version: '6.5.1',
    at: '2026-01-01T00:01:00.000Z',
    ...over,
  };
}

const query = {
  cluster: 'prod-eu',
  namespace: 'prod',
  name: 'podinfo',
  version: '6.5.1',
};

describe.each(databases.eachSupportedId())('DatabaseCanaryStore on %s', id => {
  async function store() {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    return new DatabaseCanaryStore(knex);
  }

  it('answers succeeded for a version its canary analysed and promoted, once per sighting', async () => {
    const canaries = await store();
    await canaries.record([phase('Progressing')]);
    expect((await canaries.verdict(query)).state).toBe('analysing');
    await canaries.record([phase('Progressing'), phase('Succeeded')]);
    // A replayed list (restart, second replica) changes nothing.
    await canaries.record([phase('Progressing'), phase('Succeeded')]);
    expect(await canaries.verdict(query)).toEqual({
      state: 'succeeded',
      canaries: [
        {
          canary: 'podinfo',
          phase: 'Succeeded',
          at: '2026-01-01T00:01:00.000Z',
        },
      ],
    });
    expect((await canaries.verdict({ ...query, version: '6.5.2' })).state).toBe(
      'none',
    );
    expect((await canaries.verdict({ ...query, cluster: 'other' })).state).toBe(
      'none',
    );
  });

  it('keeps a real Failed when a tenant forges a Succeeded canary for the same version', async () => {
    const canaries = await store();
    await canaries.record([phase('Progressing'), phase('Failed')]);
    // The tenant creates another Canary labelled for podinfo and writes its status.
    await canaries.record([
      phase('Progressing', { canary: 'forged', specHash: 'f1' }),
      phase('Succeeded', { canary: 'forged', specHash: 'f1' }),
    ]);
    expect((await canaries.verdict(query)).state).toBe('failed');
  });

  it('does not count a canary of another namespace for the target', async () => {
    const canaries = await store();
    await canaries.record([
      phase('Progressing', { namespace: 'team-a' }),
      phase('Succeeded', { namespace: 'team-a' }),
    ]);
    expect((await canaries.verdict(query)).state).toBe('none');
  });
});
