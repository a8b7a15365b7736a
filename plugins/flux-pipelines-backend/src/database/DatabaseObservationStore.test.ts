import { mockServices } from '@backstage/backend-test-utils';
import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseObservationStore } from './DatabaseObservationStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();

function upgrade(
  version: string,
  overrides: Partial<Observation> = {},
): Observation {
  return {
    cluster: 'main',
    namespace: 'dev',
    kind: 'HelmRelease',
    name: 'podinfo',
    uid: 'b380efb3-1234-1234-a421-cd1e39b22e93',
    chartVersion: version,
    appVersion: version,
    configDigest: 'sha256:abc',
    action: 'upgrade',
    outcome: 'succeeded',
    reason: 'UpgradeSucceeded',
    message: `Helm upgrade succeeded for release dev/podinfo.v2 with chart podinfo@${version}`,
    time: '2026-11-26T09:00:00.000Z',
    durationMs: 12_500,
    source: 'event',
    dedupKey: `event:main/dev/podinfo.${version}/1`,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseObservationStore on %s',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      return new DatabaseObservationStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
    }

    it('keeps every field of an observation', async () => {
      const store = await createStore();
      const observation = upgrade('6.5.0');
      expect(await store.record([{ observation, occurrenceKey: 'a' }])).toEqual(
        [observation],
      );
      expect(await store.listForObject(observation)).toEqual([observation]);
    });

    it('keeps messages verbatim, whatever characters they hold, and missing fields missing', async () => {
      const store = await createStore();
      const observation = upgrade('6.5.1', {
        message:
          'Helm upgrade failed: "quoted", back\\slash, {braces}, NULL, ü €\n\nLast Helm logs:\n\t🚀',
        outcome: 'failed',
        uid: undefined,
        appVersion: undefined,
        durationMs: 9_007_199_254,
      });
      await store.record([{ observation, occurrenceKey: 'a' }]);
      expect(await store.listForObject(observation)).toEqual([observation]);
    });

    it('stores a message with a broken UTF-16 character, with U+FFFD in its place', async () => {
      const store = await createStore();
      const observation = upgrade('6.5.2', {
        message: 'cut \ud83d here, the text \\ud800 stays, and 🚀 too',
      });
      await store.record([{ observation, occurrenceKey: 'a' }]);
      // As a text parameter would: PostgreSQL one U+FFFD, SQLite one per byte.
      expect((await store.listForObject(observation))[0].message).toMatch(
        /^cut \ufffd+ here, the text \\ud800 stays, and 🚀 too$/,
      );
    });

    it('records a replayed input once and says it was not new', async () => {
      const store = await createStore();
      const observation = upgrade('6.5.0');
      await store.record([{ observation, occurrenceKey: 'a' }]);
      for (let i = 0; i < 5; i++) {
        expect(
          await store.record([{ observation, occurrenceKey: 'a' }]),
        ).toEqual([]);
      }
      expect(await store.listForObject(observation)).toHaveLength(1);
    });

    it("records a relist's 1,200 observations in one call, as one batch would", async () => {
      // knex writes SQLite's multi-row insert as a compound SELECT, which
      // SQLite caps at 500 terms: a bigger batch failed as a whole, and the
      // tracker then wrote each object in a transaction of its own.
      const store = await createStore();
      const items = Array.from({ length: 1200 }, (_, i) => ({
        observation: upgrade(`1.${i}.0`, { dedupKey: `relist-${i}` }),
        occurrenceKey: `relist-${i}`,
      }));
      expect(await store.record(items)).toHaveLength(1200);
      expect(await store.record(items)).toEqual([]);
    });

    it('records an occurrence seen by watch and by webhook once', async () => {
      const store = await createStore();
      const fromEvent = upgrade('6.5.0');
      const fromWebhook = upgrade('6.5.0', {
        source: 'webhook',
        dedupKey: 'webhook:0123abcd',
      });
      await store.record([{ observation: fromEvent, occurrenceKey: 'same' }]);
      expect(
        await store.record([
          { observation: fromWebhook, occurrenceKey: 'same' },
        ]),
      ).toEqual([]);
      expect((await store.listForObject(fromEvent)).map(o => o.source)).toEqual(
        ['event'],
      );
    });

    it('returns only the new ones from a mixed batch, and lists newest first', async () => {
      const store = await createStore();
      const first = upgrade('6.5.0', { time: '2026-11-26T09:00:00.000Z' });
      const second = upgrade('6.5.1', { time: '2026-11-26T09:05:00.000Z' });
      await store.record([{ observation: first, occurrenceKey: '1' }]);
      const recorded = await store.record([
        { observation: first, occurrenceKey: '1' },
        { observation: second, occurrenceKey: '2' },
      ]);
      expect(recorded).toEqual([second]);
      expect(
        (await store.listForObject(first)).map(o => o.chartVersion),
      ).toEqual(['6.5.1', '6.5.0']);
    });

    it('keeps objects apart and honours the limit', async () => {
      const store = await createStore();
      await store.record([
        { observation: upgrade('1.0.0'), occurrenceKey: '1' },
        {
          observation: upgrade('1.0.1', { time: '2026-11-26T09:01:00Z' }),
          occurrenceKey: '2',
        },
        {
          observation: upgrade('1.0.0', {
            namespace: 'test',
            dedupKey: 'test',
          }),
          occurrenceKey: '3',
        },
      ]);
      const dev = await store.listForObject(
        {
          cluster: 'main',
          namespace: 'dev',
          kind: 'HelmRelease',
          name: 'podinfo',
        },
        { limit: 1 },
      );
      expect(dev.map(o => o.chartVersion)).toEqual(['1.0.1']);
    });

    it('forgets observations past the retention time', async () => {
      const store = await createStore();
      await store.record([
        {
          observation: upgrade('1.0.0', { time: '2026-01-01T00:00:00Z' }),
          occurrenceKey: 'old',
        },
        {
          observation: upgrade('2.0.0', { time: '2026-11-26T00:00:00Z' }),
          occurrenceKey: 'new',
        },
      ]);
      expect(
        await store.deleteOlderThan(new Date('2026-06-01T00:00:00Z')),
      ).toBe(1);
      expect(
        (await store.listForObject(upgrade('x'))).map(o => o.chartVersion),
      ).toEqual(['2.0.0']);
    });

    it('refuses an observation whose time is not a time, storing nothing', async () => {
      const store = await createStore();
      await expect(
        store.record([
          { observation: upgrade('1.0.0'), occurrenceKey: 'good' },
          {
            observation: upgrade('1.0.1', {
              time: 'yesterday',
              dedupKey: 'bad',
            }),
            occurrenceKey: 'bad',
          },
        ]),
      ).rejects.toThrow(/Not a valid time: 'yesterday'/);
      expect(await store.listForObject(upgrade('x'))).toEqual([]);
    });

    it('lists one kind of action of an object, newest first, among many others', async () => {
      const store = await createStore();
      const items = Array.from({ length: 300 }, (_, i) => {
        const test = i % 100 === 0;
        const observation = upgrade(`1.${i}.0`, {
          time: new Date(Date.UTC(2026, 10, 26, 9, 0, i)).toISOString(),
          dedupKey: `k${i}`,
          ...(test ? { action: 'test', reason: 'TestSucceeded' } : {}),
        });
        return { observation, occurrenceKey: `o${i}` };
      });
      await store.record(items);
      expect(
        (
          await store.listForObject(upgrade('x'), {
            limit: 200,
            action: 'test',
          })
        ).map(o => o.chartVersion),
      ).toEqual(['1.200.0', '1.100.0', '1.0.0']);
    });
  },
);
