import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { DatabaseAppLabelStore } from '../database/DatabaseAppLabelStore';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { DatabaseTargetTransactions } from '../database/DatabaseTargetTransactions';
import { migrateDatabase } from '../database/migrateDatabase';
import {
  Observation,
  Pipeline,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { ReadModel, setupReadModel } from './setupReadModel';

const databases = createTestDatabases();
const PIPELINE = { namespace: 'flux-system', name: 'podinfo' };
const PIPELINE_SPEC: Pipeline = {
  ...PIPELINE,
  source: 'config',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
  },
  environments: [
    { name: 'dev', targets: [{ cluster: 'main', namespace: 'dev' }] },
  ],
};
const REF = {
  cluster: 'main',
  namespace: 'dev',
  kind: 'HelmRelease' as const,
  name: 'podinfo',
};

/** A replica that only serves pages, with the read model on. */
function pagesReplica(knex: Knex, config: object = {}): ReadModel {
  return setupReadModel({
    config: new ConfigReader({ fluxPipelines: { readModel: config } }),
    knex,
    pipelines: new DatabasePipelineStore(knex),
    deployments: new DatabaseDeploymentStore(knex),
    appLabels: new DatabaseAppLabelStore(knex),
    logger: mockServices.logger.mock(),
  });
}

/** What one page request of `replica` reads. */
function page(replica: ReadModel) {
  return replica.run(async () => {
    await replica.prefetch([PIPELINE_SPEC]);
    return {
      deployments: (
        await replica.deployments.listWorkingSet([{ ref: REF, versions: [] }])
      ).map(d => [d.chartVersion, d.status]),
      apps: await replica.appLabels.findByLabel(
        'backstage.io/kubernetes-id',
        'podinfo',
      ),
      promotions: (await replica.promotions.list(PIPELINE)).map(p => p.state),
      holds: [...(await replica.promotions.holds(PIPELINE)).keys()],
    };
  });
}

describe.each(databases.eachSupportedId())('the read model on %s', id => {
  async function database() {
    const knex = await databases.init(id);
    return migrateDatabase(mockServices.database({ knex }));
  }

  it("sees another replica's writes as soon as they are committed", async () => {
    const knex = await database();
    const reader = pagesReplica(knex);
    expect(await page(reader)).toEqual({
      deployments: [],
      apps: [],
      promotions: [],
      holds: [],
    });

    // Another replica ingests, labels, promotes and holds.
    const tracker = new DeploymentTracker({
      transactions: new DatabaseTargetTransactions(knex),
      logger: mockServices.logger.mock(),
    });
    const installed: Observation = {
      ...REF,
      chartVersion: '6.5.0',
      action: 'install',
      outcome: 'succeeded',
      reason: 'InstallSucceeded',
      message: 'InstallSucceeded 6.5.0',
      time: '2026-12-07T10:00:00.000Z',
      source: 'event',
      dedupKey: 'dev-6.5.0-install',
    };
    await tracker.ingest([{ observation: installed, occurrenceKey: 'one' }]);
    await new DatabaseAppLabelStore(knex).setLabels(REF, {
      'backstage.io/kubernetes-id': 'podinfo',
    });
    const promotions = new DatabasePromotionStore(knex);
    const { promotion } = await promotions.create({
      pipelineNamespace: PIPELINE.namespace,
      pipelineName: PIPELINE.name,
      environment: 'test',
      fromEnvironment: 'dev',
      version: '6.5.0',
      trigger: 'manual',
      strategy: 'commit',
      state: 'in-progress',
      requestedBy: 'user:default/ada',
    });
    await promotions.setHold(PIPELINE, 'prod', {
      version: '6.4.0',
      heldBy: 'user:default/ada',
      heldAt: '2026-12-07T10:00:00.000Z',
    });
    expect(await page(reader)).toEqual({
      deployments: [['6.5.0', expect.any(String)]],
      apps: [REF],
      promotions: ['in-progress'],
      holds: ['prod'],
    });

    await promotions.update(promotion.id, ['in-progress'], { state: 'failed' });
    await promotions.releaseHold(PIPELINE, 'prod');
    await new DatabaseAppLabelStore(knex).replaceKind(
      'main',
      'HelmRelease',
      [],
    );
    expect(await page(reader)).toMatchObject({
      apps: [],
      promotions: ['failed'],
      holds: [],
    });
  });

  it('answers unchanged parts from memory, and keeps at most maxTargets working sets', async () => {
    const knex = await database();
    const reader = pagesReplica(knex, { maxTargets: 1 });
    await page(reader);
    const queries: string[] = [];
    const count = (q: { sql: string }) => queries.push(q.sql);
    const ofDeployments = () =>
      queries.filter(sql => /\bdeployments\b/.test(sql)).length;
    knex.on('query', count);
    await page(reader);
    // the global revision (with the labels'): nothing else
    expect(queries).toHaveLength(1);
    queries.length = 0;
    const other = { ...REF, namespace: 'test' };
    await reader.run(() =>
      reader.deployments.listWorkingSet([{ ref: other, versions: [] }]),
    );
    expect(ofDeployments()).toBeGreaterThan(0);
    queries.length = 0;
    await page(reader); // podinfo in dev was dropped for test's
    expect(ofDeployments()).toBeGreaterThan(0);
    knex.off('query', count);
  });
});
