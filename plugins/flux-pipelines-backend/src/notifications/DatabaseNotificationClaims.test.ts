import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDatabase } from '../database/migrateDatabase';
import { DatabaseNotificationClaims } from './DatabaseNotificationClaims';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DatabaseNotificationClaims on %s',
  id => {
    it('gives a state to one of several replicas claiming it at once, and again once released', async () => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(id) }),
      );
      const replicas = [1, 2, 3].map(
        () => new DatabaseNotificationClaims(knex),
      );
      // A long subject: object names and versions of any length fit.
      const subject = `deployment:flux-system/podinfo:${'x'.repeat(
        600,
      )}:failed`;
      const claimed = await Promise.all(replicas.map(r => r.claim(subject)));
      expect(claimed.filter(Boolean)).toHaveLength(1);
      // A restart: a new process sees it claimed.
      expect(await new DatabaseNotificationClaims(knex).claim(subject)).toBe(
        false,
      );
      // Another state of the same deployment is its own.
      expect(await replicas[0].claim(`${subject}x`)).toBe(true);
      // A send that failed gives the claim up; the next repeat may send it.
      await replicas[1].release(subject);
      expect(await replicas[2].claim(subject)).toBe(true);
    });
  },
);
