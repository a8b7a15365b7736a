import { mockServices } from '@backstage/backend-test-utils';
import { ClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { createTestDatabases } from '../../__testUtils__/databases';
import { migrateDatabase } from '../../database/migrateDatabase';
import { ClusterFollower } from '../ClusterFollower';
import { replicaFollower } from './__testUtils__/replicaHelpers';
import { eventually, release, startSim } from './__testUtils__/scenarioHelpers';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const TTL_MS = 5000;
const RENEW_MS = 200;
const CLUSTERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

describe('scenarios: clusters spread over the live backend replicas', () => {
  let sim: ClusterSim | undefined;
  const followers: ClusterFollower[] = [];
  let sampler: ReturnType<typeof setInterval> | undefined;
  /** Every sample where a cluster had two watchers. */
  const overlaps: string[] = [];

  afterEach(async () => {
    clearInterval(sampler);
    await Promise.all(followers.splice(0).map(f => f.stop()));
    await sim?.stop();
    sim = undefined;
  });

  function replica(
    knex: Knex,
    holder: string,
    { clusters = CLUSTERS, ttlMs = TTL_MS } = {},
  ): ClusterFollower {
    const follower = replicaFollower({
      knex,
      sim: sim!,
      holder,
      clusters,
      ttlMs,
      renewEveryMs: RENEW_MS,
    });
    followers.push(follower);
    follower.start();
    return follower;
  }

  /** Samples, all along, that no cluster has two watchers. */
  function sampleOverlaps(all: ClusterFollower[]) {
    sampler = setInterval(() => {
      const seen = all.flatMap(f => f.watching());
      const twice = seen.filter((c, i) => seen.indexOf(c) !== i);
      if (twice.length) overlaps.push(twice.join(','));
    }, 10);
  }

  /** Waits until the replicas watch these many clusters each, all covered. */
  const spread = (all: ClusterFollower[], counts: number[], ms: number) =>
    eventually(async () => {
      const watching = all.map(f => f.watching());
      return (
        watching.every((w, i) => w.length === counts[i]) &&
        new Set(watching.flat()).size === CLUSTERS.length
      );
    }, ms);

  /** Every cluster recorded `version` as its succeeded deployment. */
  const recordedEverywhere = (knex: Knex, version: string) =>
    eventually(async () => {
      const rows = await knex('deployments')
        .where({ namespace: 'dev', chart_version: version })
        .where({ status: 'succeeded' });
      return rows.length === CLUSTERS.length;
    }, 20_000);

  it.each(databases.eachSupportedId())(
    '6 clusters: 3/3 on two replicas, 2/2/2 once a third joins, re-spread when one dies or stops, never two watchers, nothing lost, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      sim = await startSim({ namespaces: ['dev'] });
      overlaps.length = 0;
      const a = replica(knex, 'a');
      const b = replica(knex, 'b');
      const all = [a, b];
      sampleOverlaps(all);
      await spread([a, b], [3, 3], 20_000);
      await recordedEverywhere(knex, '6.5.0');

      // A third joins: each hands clusters over within a few renewals, not a TTL.
      const joinedAt = Date.now();
      const c = replica(knex, 'c');
      all.push(c);
      await spread([a, b, c], [2, 2, 2], 20_000);
      expect(Date.now() - joinedAt).toBeLessThan(TTL_MS);
      await release(sim, 'dev', '6.5.1');
      await recordedEverywhere(knex, '6.5.1');

      // One dies, its leases held: the others take its clusters once those
      // expired, and find what was released meanwhile from status.history.
      const dead = c.watching();
      const diedAt = Date.now();
      await c.stop({ keepLeases: true });
      await release(sim, 'dev', '6.5.2');
      await spread([a, b], [3, 3], TTL_MS + 20_000);
      const gap = Date.now() - diedAt;
      expect(gap).toBeGreaterThanOrEqual(TTL_MS / 2);
      expect(gap).toBeLessThan(TTL_MS + 10 * RENEW_MS + 3000);
      expect(dead).toHaveLength(2);
      await recordedEverywhere(knex, '6.5.2');

      // One stops: it gives its clusters up, the other takes them at once.
      const stoppedAt = Date.now();
      await a.stop();
      await spread([b], [6], 20_000);
      expect(Date.now() - stoppedAt).toBeLessThan(TTL_MS);
      await release(sim, 'dev', '6.5.3');
      await recordedEverywhere(knex, '6.5.3');

      expect(overlaps).toEqual([]);
      // Each cluster's history, once its last success was confirmed by status.
      const histories = async () => {
        const rows = await knex('deployments')
          .where({ namespace: 'dev', name: 'podinfo' })
          .select('cluster', 'chart_version', 'status');
        return CLUSTERS.map(cluster =>
          rows
            .filter(r => r.cluster === cluster)
            .map(r => `${r.chart_version} ${r.status}`)
            .sort(),
        );
      };
      const expected = CLUSTERS.map(() => [
        '6.5.0 superseded',
        '6.5.1 superseded',
        '6.5.2 superseded',
        '6.5.3 succeeded',
      ]);
      await eventually(
        async () =>
          JSON.stringify(await histories()) === JSON.stringify(expected),
        15_000,
      ).catch(() => undefined);
      expect(await histories()).toEqual(expected);
    },
  );

  it.each(databases.eachSupportedId())(
    'a cluster whose preferred replica does not know it is taken by another after a TTL, and kept, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      sim = await startSim({ namespaces: ['dev'] });
      const ttlMs = 2000;
      // b's configuration has both clusters and sends `main` to a, whose
      // configuration lacks it
      const a = replica(knex, 'a', { clusters: ['edge'], ttlMs });
      await eventually(
        async () => (await knex('backend_replicas').where({ id: 'a' })).length,
      );
      const b = replica(knex, 'b', { clusters: ['main', 'edge'], ttlMs });
      const startedAt = Date.now();
      await eventually(async () => b.watching().includes('edge'), 20_000);
      expect(a.watching()).toEqual([]);
      await eventually(async () => b.watching().includes('main'), 20_000);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(ttlMs);
      // kept, not handed to a replica that never takes it
      for (let i = 0; i < 20; i++) {
        await new Promise(r => setTimeout(r, ttlMs / 10));
        expect(b.watching()).toContain('main');
      }
      await eventually(async () => {
        const rows = await knex('deployments').where({
          cluster: 'main',
          chart_version: '6.5.0',
          status: 'succeeded',
        });
        return rows.length === 1;
      });
    },
  );
});
