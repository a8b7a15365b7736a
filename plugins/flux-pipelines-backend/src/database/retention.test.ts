import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DatabaseObservationStore } from './DatabaseObservationStore';
import { migrateDatabase } from './migrateDatabase';
import { readRetention, scheduleRetention } from './retention';

const databases = createTestDatabases();

const config = (retention?: object) =>
  new ConfigReader({ fluxPipelines: retention ? { retention } : {} });

function observation(time: string, key: string): Observation {
  return {
    cluster: 'main',
    namespace: 'dev',
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: key,
    action: 'upgrade',
    outcome: 'succeeded',
    reason: 'UpgradeSucceeded',
    message: `upgraded to ${key}`,
    time,
    source: 'event',
    dedupKey: key,
  };
}

describe('readRetention', () => {
  it('keeps observations 90 days unless fluxPipelines.retention.observations.days says otherwise', () => {
    expect(readRetention(config())).toEqual({ observationDays: 90 });
    expect(readRetention(config({ observations: { days: 7 } }))).toEqual({
      observationDays: 7,
    });
  });

  it('refuses a retention that is not a positive number of days', () => {
    expect(() => readRetention(config({ observations: { days: 0 } }))).toThrow(
      /positive number of days/,
    );
    expect(() => readRetention(config({ observations: { days: -3 } }))).toThrow(
      /positive number of days/,
    );
  });
});

describe.each(databases.eachSupportedId())('retention task on %s', id => {
  it('runs daily on one replica (global) and deletes observations past the configured days, keeping deployments', async () => {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    const observations = new DatabaseObservationStore(knex);
    const deployments = new DatabaseDeploymentStore(knex);
    const now = Date.now();
    const daysAgo = (days: number) =>
      new Date(now - days * 24 * 60 * 60 * 1000).toISOString();
    await observations.record([
      { observation: observation(daysAgo(40), 'old'), occurrenceKey: 'old' },
      { observation: observation(daysAgo(20), 'new'), occurrenceKey: 'new' },
    ]);
    await deployments.save([
      {
        cluster: 'main',
        namespace: 'dev',
        kind: 'HelmRelease',
        name: 'podinfo',
        chartVersion: 'old',
        status: 'superseded',
        updatedAt: daysAgo(40),
      },
    ]);

    const scheduler = mockServices.scheduler.mock();
    await scheduleRetention({
      scheduler,
      config: config({ observations: { days: 30 } }),
      observations,
      logger: mockServices.logger.mock(),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: 'flux-pipelines-retention',
      scope: 'global',
      frequency: { hours: 24 },
    });

    await task.fn(new AbortController().signal);
    const ref = {
      cluster: 'main',
      namespace: 'dev',
      kind: 'HelmRelease' as const,
      name: 'podinfo',
    };
    expect(
      (await observations.listForObject(ref)).map(o => o.dedupKey),
    ).toEqual(['new']);
    expect(await deployments.listForObject(ref)).toHaveLength(1);
  });
});
