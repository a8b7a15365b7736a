import { mockServices } from '@backstage/backend-test-utils';
import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { createTestDatabases } from '../../__testUtils__/databases';
import { migrateDatabase } from '../../database/migrateDatabase';
import { ClusterFollower } from '../ClusterFollower';
import { DatabaseDeploymentStore } from '../../database/DatabaseDeploymentStore';
import { DatabaseRevisionStore } from '../../database/DatabaseRevisionStore';
import { WorkingSetReadModel } from '../../readmodel/WorkingSetReadModel';
import { expectStatusExact } from '../../readmodel/__testUtils__/expectPagesExact';
import { PipelineStatusService } from '../../service/PipelineStatusService';
import { replicaFollower } from './__testUtils__/replicaHelpers';
import { eventually, release, startSim } from './__testUtils__/scenarioHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
const TTL_MS = 3000;
const RENEW_MS = 200;

describe('scenarios: two backend replicas on one database', () => {
  let sim: ClusterSim | undefined;
  const followers: ClusterFollower[] = [];

  afterEach(async () => {
    await Promise.all(followers.splice(0).map(f => f.stop()));
    await sim?.stop();
    sim = undefined;
  });

  function replica(knex: Knex, holder: string): ClusterFollower {
    const follower = replicaFollower({
      knex,
      sim: sim!,
      holder,
      clusters: ['main'],
      ttlMs: TTL_MS,
      renewEveryMs: RENEW_MS,
    });
    followers.push(follower);
    return follower;
  }

  const watchers = (...all: ClusterFollower[]) =>
    all.filter(f => f.watching().includes('main'));

  /**
   * Waits until exactly one of them watches and keeps watching for a while
   * (replicas started together may hand it over once as they learn of each
   * other), and returns it; fails if two ever watched at once.
   */
  async function exactlyOneWatches(...all: ClusterFollower[]) {
    let twice = false;
    const one = () => {
      const w = watchers(...all);
      twice ||= w.length > 1;
      return w.length === 1 ? w[0] : undefined;
    };
    const first = await eventually(async () => {
      const w = one();
      for (let i = 0; w && i < 8; i++) {
        await new Promise(r => setTimeout(r, RENEW_MS / 2));
        if (one() !== w) return undefined;
      }
      return w;
    }, 20_000);
    expect(twice).toBe(false);
    return first;
  }

  /**
   * A replica that only serves pages, from its read model: it learns of the
   * other replicas' writes through the database alone.
   */
  function pagesReplica(knex: Knex) {
    const deployments = new DatabaseDeploymentStore(knex);
    const readModel = new PipelineStatusService(
      new WorkingSetReadModel({
        deployments,
        revisions: new DatabaseRevisionStore(knex),
      }),
    );
    const database = new PipelineStatusService(deployments);
    const pipelines = [
      {
        namespace: 'flux-system',
        name: 'podinfo',
        source: 'config' as const,
        appRef: {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease' as const,
          name: 'podinfo',
        },
        environments: [
          { name: 'dev', targets: [{ cluster: 'main', namespace: 'dev' }] },
        ],
      },
    ];
    return () => expectStatusExact({ readModel, database, pipelines });
  }

  const deployed = async (
    knex: Knex,
    version: string,
    exact: () => Promise<void>,
  ) => {
    await eventually(async () => {
      await exact(); // keeps the read model warm while the others write
      const rows = await knex('deployments').where({
        namespace: 'dev',
        chart_version: version,
        status: 'succeeded',
      });
      return rows.length === 1;
    }, 15_000);
    await exact();
  };

  it.each(databases.eachSupportedId())(
    'one replica watches; the other takes over when it stops or dies; the stored deployments are the truth, %p',
    async databaseId => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(databaseId) }),
      );
      sim = await startSim({ namespaces: ['dev'] });
      const exact = pagesReplica(knex);
      const a = replica(knex, 'a');
      const b = replica(knex, 'b');
      a.start();
      b.start();

      const first = await exactlyOneWatches(a, b);
      const second = first === a ? b : a;
      expect(second.health()).toEqual([
        expect.objectContaining({ name: 'main' }),
      ]);
      await deployed(knex, '6.5.0', exact);
      // the replica that does not watch serves the health the other reported
      await eventually(async () => second.health()[0].connected === true);
      await release(sim, 'dev', '6.5.1');
      await deployed(knex, '6.5.1', exact);

      // A graceful stop gives the lease up: the other takes over at once.
      const stoppedAt = Date.now();
      await first.stop();
      await eventually(async () => watchers(second).length === 1);
      expect(Date.now() - stoppedAt).toBeLessThan(TTL_MS);
      await release(sim, 'dev', '6.5.2');
      await deployed(knex, '6.5.2', exact);

      // A third replica joins and waits; then the watching one dies without
      // giving up its lease: the newcomer takes over once the lease expired.
      const c = replica(knex, 'c');
      c.start();
      expect(await exactlyOneWatches(second, c)).toBe(second);
      const diedAt = Date.now();
      await second.stop({ keepLeases: true });
      // released while nobody watches: found from status.history on takeover
      await release(sim, 'dev', '6.5.3');
      await new Promise(r => setTimeout(r, TTL_MS / 3));
      expect(watchers(c)).toEqual([]);
      await eventually(async () => watchers(c).length === 1, 10_000);
      const gap = Date.now() - diedAt;
      expect(gap).toBeGreaterThanOrEqual(TTL_MS / 2);
      expect(gap).toBeLessThan(TTL_MS + 5 * RENEW_MS + 2000);
      await deployed(knex, '6.5.3', exact);
      await new Promise(r => setTimeout(r, 500));

      // The truth: Helm's own history of the release.
      const history = sim.store.get(HELM_RELEASE, 'dev', 'podinfo').status
        .history as Array<{ chartVersion: string; status: string }>;
      expect(history[0]).toMatchObject({
        chartVersion: '6.5.3',
        status: 'deployed',
      });
      const rows = await knex('deployments')
        .where({ cluster: 'main', namespace: 'dev', name: 'podinfo' })
        .orderBy('chart_version');
      expect(rows.map(r => [r.chart_version, r.status])).toEqual([
        ['6.5.0', 'superseded'],
        ['6.5.1', 'superseded'],
        ['6.5.2', 'superseded'],
        ['6.5.3', 'succeeded'],
      ]);
      // Every Helm event was recorded once, though three replicas listed them.
      const events = await knex('observations')
        .where({ cluster: 'main', namespace: 'dev', source: 'event' })
        .whereIn('reason', ['InstallSucceeded', 'UpgradeSucceeded'])
        .select('chart_version');
      const versions = events.map(e => e.chart_version).sort();
      expect(versions).toEqual([...new Set(versions)]);
      expect(versions).toEqual(
        expect.arrayContaining(['6.5.1', '6.5.2', '6.5.3']),
      );
    },
  );
});
