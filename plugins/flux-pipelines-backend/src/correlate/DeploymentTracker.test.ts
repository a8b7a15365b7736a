import { mockServices } from '@backstage/backend-test-utils';
import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DatabaseObservationStore } from '../database/DatabaseObservationStore';
import { DatabaseTargetTransactions } from '../database/DatabaseTargetTransactions';
import { TargetTransactions } from '../database/TargetTransactions';
import { migrateDatabase } from '../database/migrateDatabase';
import { DeploymentTracker } from './DeploymentTracker';

const databases = createTestDatabases();

function actionOf(reason: string): Observation['action'] {
  if (reason.startsWith('Rollback')) return 'rollback';
  return reason === 'Progressing' ? 'progress' : 'upgrade';
}

function obs(
  version: string,
  reason: string,
  outcome: Observation['outcome'],
  second: number,
  namespace = 'dev',
): { observation: Observation; occurrenceKey: string } {
  const observation: Observation = {
    cluster: 'main',
    namespace,
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: version,
    action: actionOf(reason),
    outcome,
    reason,
    message: `${reason} ${version}`,
    time: new Date(Date.UTC(2026, 10, 26, 9, 0, second)).toISOString(),
    source: 'event',
    dedupKey: `${namespace}-${version}-${reason}-${second}`,
  };
  return { observation, occurrenceKey: observation.dedupKey };
}

describe.each(databases.eachSupportedId())('DeploymentTracker on %s', id => {
  async function setup() {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    const changes: TargetDeployment[][] = [];
    const deployments = new DatabaseDeploymentStore(knex);
    const observations = new DatabaseObservationStore(knex);
    const tracker = new DeploymentTracker({
      transactions: new DatabaseTargetTransactions(knex),
      logger: mockServices.logger.mock(),
      onChange: changed => {
        changes.push(changed);
      },
    });
    const ref = {
      cluster: 'main',
      namespace: 'dev',
      kind: 'HelmRelease' as const,
      name: 'podinfo',
    };
    return { knex, tracker, deployments, observations, changes, ref };
  }

  it('turns a stream of observations into stored deployments and reports each change', async () => {
    const { tracker, deployments, changes, ref } = await setup();
    await tracker.ingest([obs('1.0.0', 'InstallSucceeded', 'succeeded', 0)]);
    await tracker.ingest([
      obs('1.1.0', 'Progressing', 'progressing', 10),
      obs('1.1.0', 'UpgradeFailed', 'failed', 20),
    ]);
    await tracker.ingest([obs('1.0.0', 'RollbackSucceeded', 'succeeded', 21)]);

    const stored = await deployments.listForObject(ref);
    expect(
      Object.fromEntries(stored.map(d => [d.chartVersion, d.status])),
    ).toEqual({
      '1.0.0': 'succeeded',
      '1.1.0': 'rolled-back',
    });
    expect(changes).toHaveLength(3);
  });

  it('changes nothing and reports nothing when the same input is replayed', async () => {
    const { tracker, changes } = await setup();
    const input = [obs('1.0.0', 'InstallSucceeded', 'succeeded', 0)];
    expect(await tracker.ingest(input)).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      expect(await tracker.ingest(input)).toEqual([]);
    }
    expect(changes).toHaveLength(1);
  });

  it('loses no update when inputs about one object arrive concurrently', async () => {
    const { tracker, deployments, ref } = await setup();
    await Promise.all([
      tracker.ingest([obs('1.0.0', 'InstallSucceeded', 'succeeded', 0)]),
      tracker.ingest([obs('1.1.0', 'UpgradeSucceeded', 'succeeded', 30)]),
      tracker.ingest([obs('1.2.0', 'Progressing', 'progressing', 40)]),
      tracker.ingest([
        obs('1.0.0', 'InstallSucceeded', 'succeeded', 0, 'prod'),
      ]),
    ]);
    const stored = await deployments.listForObject(ref);
    expect(
      Object.fromEntries(stored.map(d => [d.chartVersion, d.status])),
    ).toEqual({
      '1.0.0': 'superseded',
      '1.1.0': 'succeeded',
      '1.2.0': 'progressing',
    });
  });

  it('records observations and updates deployments in one transaction: a failed deployments write rolls the observations back, and a replay applies them', async () => {
    const { knex, deployments, observations, ref } = await setup();
    const real = new DatabaseTargetTransactions(knex);
    let failures = 1;
    // The deployments write fails once, as a crash between the two steps would.
    const transactions: TargetTransactions = {
      run: (targets, work) =>
        real.run(targets, stores =>
          work({
            observations: stores.observations,
            deployments: {
              listForObject: r => stores.deployments.listForObject(r),
              listForObjects: r => stores.deployments.listForObjects(r),
              listWorkingSet: t => stores.deployments.listWorkingSet(t),
              save: async d => {
                if (failures-- > 0) throw new Error('connection lost');
                await stores.deployments.save(d);
              },
            },
          }),
        ),
    };
    const tracker = new DeploymentTracker({
      transactions,
      logger: mockServices.logger.mock(),
    });
    const input = [
      obs('1.0.0', 'InstallSucceeded', 'succeeded', 0),
      obs('1.1.0', 'UpgradeSucceeded', 'succeeded', 30),
    ];

    await expect(tracker.ingest(input)).rejects.toThrow('connection lost');
    expect(await observations.listForObject(ref)).toEqual([]);
    expect(await deployments.listForObject(ref)).toEqual([]);

    // notification-controller retries, or the next relist replays the status
    expect(await tracker.ingest(input)).toHaveLength(2);
    expect(await observations.listForObject(ref)).toHaveLength(2);
    expect(
      Object.fromEntries(
        (await deployments.listForObject(ref)).map(d => [
          d.chartVersion,
          d.status,
        ]),
      ),
    ).toEqual({ '1.0.0': 'superseded', '1.1.0': 'succeeded' });
  });

  it('writes a burst of inputs in a few transactions, each input answered with its own new observations', async () => {
    const { knex, deployments, ref } = await setup();
    const real = new DatabaseTargetTransactions(knex);
    let transactions = 0;
    const tracker = new DeploymentTracker({
      transactions: {
        run: (refs, work) => {
          transactions += 1;
          return real.run(refs, work);
        },
      },
      logger: mockServices.logger.mock(),
    });
    const namespaces = Array.from({ length: 200 }, (_, i) => `ns-${i}`);
    const results = await Promise.all(
      namespaces.map(ns =>
        tracker.ingest([obs('1.0.0', 'InstallSucceeded', 'succeeded', 0, ns)]),
      ),
    );
    expect(results.map(r => r.map(o => o.namespace))).toEqual(
      namespaces.map(ns => [ns]),
    );
    expect(transactions).toBeLessThanOrEqual(3);
    for (const namespace of [namespaces[0], namespaces[199]]) {
      expect(await deployments.listForObject({ ...ref, namespace })).toEqual([
        expect.objectContaining({ status: 'succeeded' }),
      ]);
    }
  });

  it('loses only the object a batched write failed on', async () => {
    const { knex, deployments, ref } = await setup();
    const real = new DatabaseTargetTransactions(knex);
    const logger = mockServices.logger.mock();
    const tracker = new DeploymentTracker({
      transactions: {
        run: (refs, work) =>
          real.run(refs, stores =>
            work({
              ...stores,
              deployments: {
                ...stores.deployments,
                listWorkingSet: t => stores.deployments.listWorkingSet(t),
                save: async d => {
                  if (d.some(x => x.namespace === 'bad'))
                    throw new Error('value too long');
                  await stores.deployments.save(d);
                },
              },
            }),
          ),
      },
      logger,
    });
    const good = ['a', 'b', 'c'];
    const results = await Promise.allSettled(
      ['bad', ...good].map(ns =>
        tracker.ingest([obs('1.0.0', 'InstallSucceeded', 'succeeded', 0, ns)]),
      ),
    );
    expect(results.map(r => r.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    for (const namespace of good) {
      expect(
        await deployments.listForObject({ ...ref, namespace }),
      ).toHaveLength(1);
    }
    expect(
      await deployments.listForObject({ ...ref, namespace: 'bad' }),
    ).toEqual([]);
    expect(logger.error).toHaveBeenCalledWith(
      'Failed to update deployments of HelmRelease bad/podinfo on main',
      expect.any(Error),
    );
  });

  it('supersedes the deployed version however many failed versions came after it', async () => {
    const { tracker, deployments, ref } = await setup();
    await tracker.ingest([obs('1.0.0', 'InstallSucceeded', 'succeeded', 0)]);
    for (let i = 1; i <= 15; i++) {
      await tracker.ingest([obs(`1.${i}.0`, 'UpgradeFailed', 'failed', i)]);
    }
    await tracker.ingest([obs('2.0.0', 'UpgradeSucceeded', 'succeeded', 30)]);
    const stored = await deployments.listForObject(ref);
    expect(stored.filter(d => d.status === 'succeeded')).toEqual([
      expect.objectContaining({ chartVersion: '2.0.0' }),
    ]);
    expect(stored.find(d => d.chartVersion === '1.0.0')?.status).toBe(
      'superseded',
    );
  });

  it('two trackers (two replicas) writing the same objects concurrently lose no update and record nothing twice', async () => {
    const { knex, deployments, observations, ref } = await setup();
    const replica = () =>
      new DeploymentTracker({
        transactions: new DatabaseTargetTransactions(knex, { attempts: 10 }),
        logger: mockServices.logger.mock(),
      });
    const [a, b] = [replica(), replica()];
    // Per object, one replica learns that the upgrade started, the other that
    // it succeeded, at the same time. Unserialised read-modify-write would
    // leave some objects at "progressing".
    const namespaces = Array.from({ length: 30 }, (_, i) => `ns-${i}`);
    const started = namespaces.map(ns =>
      obs('1.1.0', 'Progressing', 'progressing', 10, ns),
    );
    const succeeded = namespaces.map(ns =>
      obs('1.1.0', 'UpgradeSucceeded', 'succeeded', 20, ns),
    );
    const first = await Promise.all(
      namespaces.flatMap((_, i) => [
        a.ingest([started[i]]),
        b.ingest([succeeded[i]]),
      ]),
    );
    // then each gets the other's inputs too (watch and webhook)
    const replayed = await Promise.all([
      ...succeeded.map(input => a.ingest([input])),
      ...started.map(input => b.ingest([input])),
    ]);
    expect(first.flat()).toHaveLength(60);
    expect(replayed.flat()).toEqual([]);
    for (const namespace of namespaces) {
      const target = { ...ref, namespace };
      expect(await observations.listForObject(target)).toHaveLength(2);
      const stored = await deployments.listForObject(target);
      expect(stored).toEqual([
        expect.objectContaining({ chartVersion: '1.1.0', status: 'succeeded' }),
      ]);
    }
  });
});
