import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { PipelineSources } from '../config/readPipelineSources';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { DatabaseStatusFingerprintStore } from '../database/DatabaseStatusFingerprintStore';
import { DatabaseTargetTransactions } from '../database/DatabaseTargetTransactions';
import { migrateDatabase } from '../database/migrateDatabase';
import { HR_V2, snapshot } from '../ingest/__fixtures__/helmReleases';
import { FluxIngestSink } from './FluxIngestSink';

const databases = createTestDatabases();

/** A HelmRelease like HR_V2 under another name (its own uid). */
function release(name: string, history = HR_V2.status.history) {
  return {
    ...HR_V2,
    metadata: { ...HR_V2.metadata, name, uid: `uid-${name}` },
    status: { ...HR_V2.status, history },
  };
}

const RELEASES = [release('podinfo'), release('checkout'), release('cart')];

/** podinfo with a new version nobody saw (status.history only). */
const PODINFO_UPGRADED = release('podinfo', [
  snapshot(
    4,
    'deployed',
    '6.7.0',
    '2024-04-01T08:00:00Z',
    '2024-06-01T09:00:00Z',
  ),
  ...HR_V2.status.history,
]);

/** The statements a backend's ingest runs on these tables, with their bindings. */
function recordStatements(knex: Knex) {
  const statements: string[] = [];
  knex.on('query', (q: { sql: string; bindings?: unknown[] }) => {
    if (/\b(observations|deployments)\b/.test(q.sql)) {
      statements.push(`${q.sql} ${JSON.stringify(q.bindings ?? [])}`);
    }
  });
  return statements;
}

describe.each(databases.eachSupportedId())('StatusFingerprints on %s', id => {
  /** A backend's ingest on the database: a new process, nothing in memory. */
  function start(knex: Knex) {
    const logger = mockServices.logger.mock();
    return new FluxIngestSink({
      tracker: new DeploymentTracker({
        transactions: new DatabaseTargetTransactions(knex),
        logger,
      }),
      pipelines: new DatabasePipelineStore(knex),
      pipelineSources: PipelineSources.of([]),
      fingerprints: new DatabaseStatusFingerprintStore(knex),
      logger,
    });
  }

  async function versions(knex: Knex, name: string) {
    const deployments = await new DatabaseDeploymentStore(knex).listForObject({
      cluster: 'main',
      namespace: 'apps',
      kind: 'HelmRelease',
      name,
    });
    return deployments.map(d => `${d.chartVersion} ${d.status}`).sort();
  }

  async function firstSync() {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    await start(knex).synced('main', 'HelmRelease', RELEASES);
    expect(await versions(knex, 'checkout')).toContain('6.6.1 succeeded');
    return knex;
  }

  it('a restart with nothing changed stores nothing and reads no deployments', async () => {
    const knex = await firstSync();
    const before = await knex('observations').count({ n: '*' });
    const statements = recordStatements(knex);

    await start(knex).synced('main', 'HelmRelease', RELEASES);

    expect(statements).toEqual([]);
    expect(await knex('observations').count({ n: '*' })).toEqual(before);
  });

  it('a restart with one change stores exactly it', async () => {
    const knex = await firstSync();
    const before = await versions(knex, 'podinfo');
    const statements = recordStatements(knex);

    await start(knex).synced('main', 'HelmRelease', [
      PODINFO_UPGRADED,
      ...RELEASES.slice(1),
    ]);

    expect(await versions(knex, 'podinfo')).toEqual(
      [
        ...before.filter(v => v !== '6.6.1 succeeded'),
        '6.6.1 superseded',
        '6.7.0 succeeded',
      ].sort(),
    );
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter(s => /checkout|cart/.test(s))).toEqual([]);
    // nor podinfo's older history, recorded before
    expect(statements.filter(s => /6\.5\.[34]/.test(s))).toEqual([]);
    // and that change is not stored again by the next restart
    statements.length = 0;
    await start(knex).synced('main', 'HelmRelease', [
      PODINFO_UPGRADED,
      ...RELEASES.slice(1),
    ]);
    expect(statements).toEqual([]);
  });

  it('ingests again an object that was gone and came back', async () => {
    const knex = await firstSync();
    await start(knex).synced('main', 'HelmRelease', RELEASES.slice(1));
    await knex('observations').where({ name: 'podinfo' }).delete();
    await knex('deployments').where({ name: 'podinfo' }).delete();

    await start(knex).synced('main', 'HelmRelease', RELEASES);

    expect(await versions(knex, 'podinfo')).toContain('6.6.1 succeeded');
  });
});
