import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { CanaryObservation } from '../ingest/normaliseCanary';
import { DatabaseNotificationClaims } from '../notifications/DatabaseNotificationClaims';
import { DatabaseCanaryStore } from './DatabaseCanaryStore';
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

  it("deletes canary phases and notification claims past the same days, keeping each canary's latest revision", async () => {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    const now = Date.now();
    const daysAgo = (days: number) =>
      new Date(now - days * 24 * 60 * 60 * 1000).toISOString();
    const canaries = new DatabaseCanaryStore(knex);
    const phase = (
      canary: string,
      specHash: string,
      p: CanaryObservation['phase'],
      version: string,
      days: number,
    ): CanaryObservation => ({
      cluster: 'main',
      namespace: 'prod',
      target: 'podinfo',
      canary,
      specHash,
      phase: p,
      version,
      at: daysAgo(days),
    });
    await canaries.record([
      // podinfo: 6.5.0 analysed 40 days ago, 6.5.1 (its latest) failed 35 days ago.
      phase('podinfo', 'h1', 'Progressing', '6.5.0', 40),
      phase('podinfo', 'h1', 'Succeeded', '6.5.0', 40),
      phase('podinfo', 'h2', 'Progressing', '6.5.1', 35),
      phase('podinfo', 'h2', 'Failed', '6.5.1', 35),
      // another canary, recent
      phase('worker', 'w1', 'Progressing', '6.5.1', 10),
    ]);
    const claims = new DatabaseNotificationClaims(knex);
    await claims.claim('old state');
    await claims.claim('new state');
    await knex('notification_claims')
      .where({ subject: 'old state' })
      .update({ claimed_at: new Date(daysAgo(40)) });

    const scheduler = mockServices.scheduler.mock();
    await scheduleRetention({
      scheduler,
      config: config({ observations: { days: 30 } }),
      observations: new DatabaseObservationStore(knex),
      canaries,
      claims,
      logger: mockServices.logger.mock(),
    });
    await scheduler.scheduleTask.mock.calls[0][0].fn(
      new AbortController().signal,
    );

    const verdict = (version: string) =>
      canaries.verdict({
        cluster: 'main',
        namespace: 'prod',
        name: 'podinfo',
        version,
      });
    expect((await verdict('6.5.0')).state).toBe('none');
    // The latest revision stays, however old: 6.5.1's failure still blocks it.
    expect((await verdict('6.5.1')).state).toBe('failed');
    expect(
      await knex('canary_phases').where({ canary: 'worker' }).select('phase'),
    ).toEqual([{ phase: 'Progressing' }]);
    // The old claim is gone (its state may be told again); the new one holds.
    expect(await claims.claim('old state')).toBe(true);
    expect(await claims.claim('new state')).toBe(false);
  });
});
