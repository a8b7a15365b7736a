import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DatabaseTargetTransactions } from './DatabaseTargetTransactions';
import { backfillDeploymentFacts } from './deploymentFacts';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();
const START = Date.UTC(2026, 10, 1);
const TARGET = {
  cluster: 'main',
  namespace: 'dev',
  kind: 'HelmRelease' as const,
  name: 'podinfo',
};
// Only PostgreSQL lets two replicas write at once (SQLite has one writer).
const postgres = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'))
  .map(([id]) => id);

function row(
  version: string,
  status: TargetDeployment['status'],
  minute: number,
): TargetDeployment {
  const time = (m: number) => new Date(START + m * 60_000).toISOString();
  return {
    ...TARGET,
    chartVersion: version,
    status,
    startedAt: time(minute),
    finishedAt: time(minute + 1),
    updatedAt: time(minute + 1),
  };
}

const facts = (knex: Knex) =>
  knex('deployment_facts')
    .orderBy('chart_version')
    .select('chart_version', 'ok', 'failed', 'restored_at');

(postgres.length ? describe.each(postgres) : describe.skip.each(['none']))(
  'the deployment_facts backfill racing an ingest on %s',
  id => {
    it('never writes facts from rows read before a concurrent ingest committed over what it kept', async () => {
      const knex = await migrateDatabase(
        mockServices.database({
          knex: await databases.init(id as TestDatabaseId),
        }),
      );
      // A failure stored before the summary existed: its facts are still to build.
      await new DatabaseDeploymentStore(knex).save([row('1.0.0', 'failed', 0)]);
      await knex('deployment_facts').delete();
      await knex('deployment_facts_backfill').insert({ after_cluster: null });

      // Another replica ingests the success that restores service, and its
      // transaction (which keeps the facts) is still open when the build runs.
      let commit!: () => void;
      const committing = new Promise<void>(r => {
        commit = r;
      });
      let saved!: () => void;
      const ingestSaved = new Promise<void>(r => {
        saved = r;
      });
      const ingest = new DatabaseTargetTransactions(knex).run(
        [TARGET],
        async ({ deployments }) => {
          await deployments.save([row('1.1.0', 'succeeded', 60)]);
          saved();
          await committing;
        },
      );
      await ingestSaved;
      const backfill = backfillDeploymentFacts(knex);
      // The build waits for the ingest (for its lock; without it, for the
      // facts row the ingest wrote) before the ingest commits.
      await eventually(
        async () =>
          Number(
            (
              await knex.raw(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
              )
            ).rows[0].n,
          ) > 0,
        60_000,
      );
      commit();
      await ingest;
      expect(await backfill).toBe(1);

      // The failure reads as restored by the success: what a rebuild gives.
      const kept = await facts(knex);
      expect(kept).toEqual([
        {
          chart_version: '1.0.0',
          ok: 0,
          failed: 1,
          restored_at: new Date(START + 61 * 60_000),
        },
        { chart_version: '1.1.0', ok: 1, failed: 0, restored_at: null },
      ]);
      await knex('deployment_facts').delete();
      await knex('deployment_facts_backfill').insert({ after_cluster: null });
      await backfillDeploymentFacts(knex);
      expect(await facts(knex)).toEqual(kept);
    }, 120_000);
  },
);
