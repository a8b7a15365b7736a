import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  release,
  startBackend,
  startSim,
  waitForTarget,
} from './__testUtils__/scenarioHelpers';

jest.setTimeout(40_000);

const databases = createTestDatabases();
const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
const EVENT = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

describe('scenarios: backend downtime', () => {
  let sim: ClusterSim | undefined;
  let b: ScenarioBackend | undefined;

  afterEach(async () => {
    await b?.stop();
    await sim?.stop();
    b = undefined;
    sim = undefined;
  });

  const history = () =>
    sim!.store.get(HELM_RELEASE, 'dev', 'podinfo').status.history;
  const releasedWhileDown = async (version: string) => {
    await release(sim!, 'dev', version);
    await eventually(async () => {
      const h = history()[0];
      return h.chartVersion === version && h.status === 'deployed';
    });
  };

  it.each(databases.eachSupportedId())(
    '(10) a backend restart on the same database sees what was deployed meanwhile, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      sim = await startSim({ namespaces: ['dev'] });
      const options = {
        clusters: [clusterConfig('main', sim)],
        targets: [{ env: 'dev', namespace: 'dev' }],
        knex,
      };
      b = await startBackend(options);
      await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
      await release(sim, 'dev', '6.5.1');
      const first = await waitForTarget(
        b,
        'dev',
        t => t.deployed?.chartVersion === '6.5.1',
      );
      await b.stop();
      b = undefined;

      await releasedWhileDown('6.5.2');
      b = await startBackend(options);
      // The duration comes with the HelmRelease status, which may be read
      // after the events: wait for both.
      const dev = await waitForTarget(
        b,
        'dev',
        t =>
          t.deployed?.chartVersion === '6.5.2' &&
          t.deployed.durationMs !== undefined,
      );
      expect(dev.deployed).toMatchObject({
        status: 'succeeded',
        appVersion: '6.5.2',
      });
      expect(dev.deployed.durationMs).toBeGreaterThan(0);
      expect(dev.latest).toEqual(dev.deployed);
      // what the first backend recorded is still there, now superseded
      const rows = await knex('deployments').where({ chart_version: '6.5.1' });
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('superseded');
      expect(first.deployed.status).toBe('succeeded');
    },
  );

  it('(11) events expired during downtime: backfilled from status.history with the real times', async () => {
    sim = await startSim({ namespaces: ['dev'], eventTtlMs: 200 });
    const knex = await databases.init('SQLITE_3');
    const options = {
      clusters: [clusterConfig('main', sim)],
      targets: [{ env: 'dev', namespace: 'dev' }],
      knex,
    };
    b = await startBackend(options);
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await b.stop();
    b = undefined;

    await releasedWhileDown('6.5.1');
    const deployedAt = Date.parse(history()[0].lastDeployed);
    // downtime longer than a second, and every event gone
    await new Promise(r => setTimeout(r, 1200));
    sim.store.sweepExpired();
    expect(sim.store.list(EVENT, 'dev')).toEqual([]);

    b = await startBackend(options);
    const dev = await waitForTarget(
      b,
      'dev',
      t => t.deployed?.chartVersion === '6.5.1',
    );
    expect(dev.deployed).toMatchObject({
      status: 'succeeded',
      appVersion: '6.5.1',
    });
    expect(Date.parse(dev.deployed.finishedAt)).toBe(deployedAt);
    expect(Date.now() - Date.parse(dev.deployed.finishedAt)).toBeGreaterThan(
      1000,
    );
    expect(dev.deployed.durationMs).toBeGreaterThan(0);
  });

  it('(12) a Helm test failure while the backend was down and its events expired: the version failed, the previous one stays deployed', async () => {
    sim = await startSim({
      namespaces: ['dev'],
      eventTtlMs: 200,
      hr: { spec: { test: { enable: true } } },
    });
    sim.simulator!.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.1' },
      'test-fail',
    );
    const knex = await databases.init('SQLITE_3');
    const options = {
      clusters: [clusterConfig('main', sim)],
      targets: [{ env: 'dev', namespace: 'dev' }],
      knex,
    };
    b = await startBackend(options);
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await b.stop();
    b = undefined;

    await release(sim, 'dev', '6.5.1');
    await eventually(async () => {
      const h = history()[0];
      return (
        h.chartVersion === '6.5.1' &&
        Object.values(h.testHooks ?? {}).some((t: any) => t.phase === 'Failed')
      );
    });
    await new Promise(r => setTimeout(r, 400));
    sim.store.sweepExpired();
    expect(sim.store.list(EVENT, 'dev')).toEqual([]);

    b = await startBackend(options);
    const dev = await waitForTarget(
      b,
      'dev',
      t => t.latest?.chartVersion === '6.5.1' && t.latest.status === 'failed',
    );
    expect(dev.latest.message).toContain('Helm test failed');
    expect(dev.deployed).toMatchObject({
      chartVersion: '6.5.0',
      status: 'succeeded',
    });
  });
});
