import { ClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  release,
  startBackend,
  startSim,
  waitForTarget,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  EVENT,
  HELM_RELEASE,
  HELM_REPOSITORY,
  expectExactlyReleased,
  fault,
  helmHistory,
  prng,
  releaseSequence,
  sleep,
} from './__testUtils__/faultHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const DEV = { env: 'dev', namespace: 'dev' };

/**
 * Faults of the cluster's API while Flux releases a planned sequence of
 * versions: the stored deployments must equal that sequence (nothing lost,
 * nothing twice), and every success is observed once.
 */
describe('faults: the watch connection', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  async function start(knex: Knex) {
    sim = await startSim({ namespaces: ['dev'] });
    b = await startBackend({
      clusters: [clusterConfig('main', sim)],
      targets: [DEV],
      knex,
    });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    return sim;
  }

  it.each(databases.eachSupportedId())(
    '(1) watches dropped every 2 s during a sequence of releases, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const s = await start(knex);
      const versions = ['6.5.1', '6.5.2', '6.5.3', '6.5.4', '6.5.5', '6.5.6'];
      const random = prng(1);
      let dropped = 0;
      const timer = setInterval(() => {
        fault(s, 'close-watches').then(
          r => (dropped += (r as any).closed ?? 0),
          () => undefined,
        );
      }, 2000);
      try {
        await releaseSequence(s, 'dev', versions, () =>
          sleep(300 + random() * 700),
        );
      } finally {
        clearInterval(timer);
      }
      // The fault really hit open watches, more than once.
      expect(dropped).toBeGreaterThanOrEqual(2);
      await expectExactlyReleased(knex, s, versions);
    },
  );

  it.each(databases.eachSupportedId())(
    '(2) forced 410 Gone while releases are in progress: relists, nothing lost or doubled, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const s = await start(knex);
      const versions = ['6.5.1', '6.5.2', '6.5.3', '6.5.4'];
      const random = prng(2);
      for (const version of versions) {
        await release(s, 'dev', version);
        // Mid-release: every watch that resumes next gets 410 Gone.
        await sleep(random() * 250);
        await fault(s, 'expire-next-watch', { count: 20 });
        await fault(s, 'close-watches');
        await eventually(async () => {
          const h = helmHistory(s, 'dev')[0];
          return h.chartVersion === version && h.status === 'deployed';
        });
        await sleep(random() * 300);
      }
      await expectExactlyReleased(knex, s, versions);
    },
  );

  it.each(databases.eachSupportedId())(
    '(3) the stand-in restarted on the same port with the same objects and a new resourceVersion history, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const first = await start(knex);
      await releaseSequence(first, 'dev', ['6.5.1', '6.5.2']);
      await waitForTarget(b!, 'dev', t => t.deployed?.chartVersion === '6.5.2');
      const oldVersion = first.store.currentResourceVersion();

      // The same objects (status and events included), as a restored etcd
      // would have them, but resourceVersions count from 1 again.
      const port = Number(new URL(first.url).port);
      const copy = (o: any) => {
        const {
          uid,
          resourceVersion,
          creationTimestamp,
          generation,
          managedFields,
          ...metadata
        } = o.metadata;
        return { ...o, metadata };
      };
      const objects = [
        ...first.store.list(HELM_REPOSITORY),
        ...first.store.list(HELM_RELEASE),
        ...first.store.list(EVENT),
      ].map(copy);
      await first.stop();
      sim = undefined;
      await sleep(300);
      sim = await startSim({
        port,
        namespaces: ['dev'],
        objects,
        settled: false,
      });
      const second = sim;
      // Hold the backend's reconnect until Flux released once more: that
      // release happens at resourceVersions the backend has seen before.
      second.faults.pause();
      expect(second.store.currentResourceVersion()).toBeLessThan(oldVersion);
      expect(helmHistory(second, 'dev')[0]).toMatchObject({
        chartVersion: '6.5.2',
        status: 'deployed',
      });

      await releaseSequence(second, 'dev', ['6.5.3']);
      await sleep(200);
      second.faults.resume();
      // Seen without waiting for another change or for the watch to time out.
      await waitForTarget(
        b!,
        'dev',
        t => t.deployed?.chartVersion === '6.5.3',
        8000,
      );
      // Flux goes on on the restarted cluster.
      await releaseSequence(second, 'dev', ['6.5.4'], () => sleep(300));
      // The copied events (same names and counts) were not recorded again.
      await expectExactlyReleased(knex, second, [
        '6.5.1',
        '6.5.2',
        '6.5.3',
        '6.5.4',
      ]);
      const health = await eventually(async () => {
        const h = await b!.health();
        return h.clusters?.[0]?.connected ? h : undefined;
      });
      expect(health.clusters[0]).toMatchObject({ name: 'main' });
    },
  );
});
