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
  expectExactlyReleased,
  expectStoredEqualsTruth,
  fault,
  helmHistory,
  prng,
  releaseSequence,
  sleep,
  storedDeployments,
} from './__testUtils__/faultHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const DEV = { env: 'dev', namespace: 'dev' };

/**
 * Delays every query of `knex` by `delayMs()` before it reaches the database,
 * transactions included (each statement goes through the client's `_query`).
 * Returns how many queries were delayed, and a function to undo it.
 */
function slowDatabase(knex: Knex, delayMs: () => number) {
  const client = knex.client as {
    _query: (connection: unknown, query: unknown) => Promise<unknown>;
  };
  const original = client._query;
  const counter = { delayed: 0 };
  client._query = async function slowQuery(
    this: unknown,
    connection: unknown,
    query: unknown,
  ) {
    counter.delayed += 1;
    await sleep(delayMs());
    return original.call(this, connection, query);
  };
  return {
    counter,
    restore: () => {
      client._query = original;
    },
  };
}

describe('faults: the backend and its database', () => {
  const sims: ClusterSim[] = [];
  const backends: ScenarioBackend[] = [];

  afterEach(async () => {
    for (const b of backends.splice(0)) await b.stop();
    await Promise.all(sims.splice(0).map(s => s.stop()));
  });

  async function backend(options: Parameters<typeof startBackend>[0]) {
    const b = await startBackend(options);
    backends.push(b);
    return b;
  }

  it.each(databases.eachSupportedId())(
    '(4) the backend stopped mid-stream, with events in flight, and another started on the same database, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const sim = await startSim({ namespaces: ['dev'] });
      sims.push(sim);
      const options = {
        clusters: [clusterConfig('main', sim)],
        targets: [DEV],
        knex,
      };
      const first = await backend(options);
      await waitForTarget(
        first,
        'dev',
        t => t.deployed?.chartVersion === '6.5.0',
      );
      await releaseSequence(sim, 'dev', ['6.5.1']);
      await waitForTarget(
        first,
        'dev',
        t => t.deployed?.chartVersion === '6.5.1',
      );

      // The cluster's answers are held while 6.5.2 is released: the first
      // backend never receives them, and goes away with them in flight.
      await fault(sim, 'pause');
      await release(sim, 'dev', '6.5.2');
      await sleep(150); // mid-release
      backends.splice(backends.indexOf(first), 1);
      await first.stop();
      await eventually(async () => {
        const h = helmHistory(sim, 'dev')[0];
        return h.chartVersion === '6.5.2' && h.status === 'deployed';
      });
      await fault(sim, 'resume');
      // and one more release while no backend runs
      await releaseSequence(sim, 'dev', ['6.5.3']);
      expect(
        (await storedDeployments(knex, 'main', 'dev')).map(
          r => r.chart_version,
        ),
      ).toEqual(['6.5.0', '6.5.1']);

      const second = await backend(options);
      await waitForTarget(
        second,
        'dev',
        t => t.deployed?.chartVersion === '6.5.3',
      );
      await releaseSequence(sim, 'dev', ['6.5.4']);
      const versions = ['6.5.1', '6.5.2', '6.5.3', '6.5.4'];
      await expectExactlyReleased(knex, sim, versions);
    },
  );

  it.each(databases.eachSupportedId())(
    '(8) a slow database and a slow cluster API: still exactly the released versions, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const random = prng(8);
      const slow = slowDatabase(knex, () => 10 + Math.floor(random() * 40));
      try {
        const sim = await startSim({ namespaces: ['dev'] });
        sims.push(sim);
        await fault(sim, 'latency', { ms: 50 });
        const b = await backend({
          clusters: [clusterConfig('main', sim)],
          targets: [DEV],
          knex,
        });
        await waitForTarget(
          b,
          'dev',
          t => t.deployed?.chartVersion === '6.5.0',
          20_000,
        );
        // Releases come faster than the backend writes them.
        const versions = ['6.5.1', '6.5.2', '6.5.3', '6.5.4'];
        await releaseSequence(sim, 'dev', versions);
        await expectExactlyReleased(knex, sim, versions);
        // The API serves the same truth, and the database really was slow.
        const dev = await b.target('dev');
        expect(dev.deployed).toMatchObject({
          chartVersion: '6.5.4',
          status: 'succeeded',
        });
        // (ingest writes a burst in few transactions, so a few dozen statements)
        expect(slow.counter.delayed).toBeGreaterThan(20);
      } finally {
        slow.restore();
      }
    },
  );

  it('(9) one of three clusters becomes unreachable: the other two keep working, and /health says which is down', async () => {
    const knex = await databases.init('SQLITE_3');
    const [a, b, c] = await Promise.all([
      startSim({ namespaces: ['dev'] }),
      startSim({ namespaces: ['test'] }),
      startSim({ namespaces: ['prod'] }),
    ]);
    sims.push(a, b);
    const be = await backend({
      clusters: [
        clusterConfig('cluster-a', a),
        clusterConfig('cluster-b', b),
        clusterConfig('cluster-c', c),
      ],
      targets: [
        { env: 'dev', namespace: 'dev', cluster: 'cluster-a' },
        { env: 'test', namespace: 'test', cluster: 'cluster-b' },
        { env: 'prod', namespace: 'prod', cluster: 'cluster-c' },
      ],
      knex,
    });
    for (const env of ['dev', 'test', 'prod']) {
      await waitForTarget(be, env, t => t.deployed?.chartVersion === '6.5.0');
    }
    await c.stop();

    await Promise.all([
      releaseSequence(a, 'dev', ['6.5.1', '6.5.2']),
      releaseSequence(b, 'test', ['6.5.1']),
    ]);
    await expectStoredEqualsTruth(knex, a, {
      cluster: 'cluster-a',
      namespace: 'dev',
      versions: ['6.5.0', '6.5.1', '6.5.2'],
    });
    await expectStoredEqualsTruth(knex, b, {
      cluster: 'cluster-b',
      namespace: 'test',
      versions: ['6.5.0', '6.5.1'],
    });
    // What was known of the lost cluster stays as it was.
    expect(
      (await storedDeployments(knex, 'cluster-c', 'prod')).map(r => [
        r.chart_version,
        r.status,
      ]),
    ).toEqual([['6.5.0', 'succeeded']]);

    const health = await eventually(async () => {
      const h = await be.health();
      const down = h.clusters?.find((x: any) => x.name === 'cluster-c');
      return down && !down.connected && down.lastError ? h : undefined;
    });
    expect(health.clusters).toHaveLength(3);
    expect(health.clusters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'cluster-a', connected: true }),
        expect.objectContaining({ name: 'cluster-b', connected: true }),
        expect.objectContaining({
          name: 'cluster-c',
          connected: false,
          lastError: expect.any(String),
        }),
      ]),
    );
    // and still after the next release on a working cluster
    await releaseSequence(b, 'test', ['6.5.2']);
    await waitForTarget(be, 'test', t => t.deployed?.chartVersion === '6.5.2');
  });
});
