import { mockServices } from '@backstage/backend-test-utils';
import {
  Observation,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DatabaseObservationStore } from '../database/DatabaseObservationStore';
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
    const tracker = new DeploymentTracker({
      observations: new DatabaseObservationStore(knex),
      deployments,
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
    return { tracker, deployments, changes, ref };
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
});
