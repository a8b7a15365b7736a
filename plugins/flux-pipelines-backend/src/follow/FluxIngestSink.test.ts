import { mockServices } from '@backstage/backend-test-utils';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { PipelineSources } from '../config/readPipelineSources';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { DatabaseAppLabelStore } from '../database/DatabaseAppLabelStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { DatabaseTargetTransactions } from '../database/DatabaseTargetTransactions';
import { migrateDatabase } from '../database/migrateDatabase';
import { FluxIngestSink } from './FluxIngestSink';

const databases = createTestDatabases();

const wgePipeline = (name: string, app: string) => ({
  apiVersion: 'pipelines.weave.works/v1alpha1',
  kind: 'Pipeline',
  metadata: { namespace: 'flux-system', name },
  spec: {
    appRef: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      name: app,
    },
    environments: [{ name: 'dev', targets: [{ namespace: 'dev' }] }],
  },
});

const configured: Pipeline = {
  namespace: 'flux-system',
  name: 'podinfo',
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

const ADDED = {
  type: 'ADDED' as const,
  apiVersion: 'pipelines.weave.works/v1alpha1',
};

describe.each(databases.eachSupportedId())('FluxIngestSink on %s', id => {
  async function setup() {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    const logger = mockServices.logger.mock();
    const pipelines = new DatabasePipelineStore(knex);
    const sink = new FluxIngestSink({
      tracker: new DeploymentTracker({
        transactions: new DatabaseTargetTransactions(knex),
        logger,
      }),
      pipelines,
      pipelineSources: PipelineSources.of([
        { cluster: 'main', namespaces: ['flux-system'] },
      ]),
      appLabels: new DatabaseAppLabelStore(knex),
      logger,
    });
    return { sink, pipelines, logger };
  }

  it('ignores a cluster Pipeline named like a configured one, once warning with both names', async () => {
    const { sink, pipelines, logger } = await setup();
    await pipelines.replacePipelines('config', [configured]);

    await sink.changed('main', 'Pipeline', [
      { object: wgePipeline('podinfo', 'other-app'), change: ADDED },
    ]);
    await sink.changed('main', 'Pipeline', [
      { object: wgePipeline('checkout', 'checkout'), change: ADDED },
    ]);
    await sink.synced('main', 'Pipeline', [
      wgePipeline('podinfo', 'other-app'),
      wgePipeline('checkout', 'checkout'),
    ]);

    expect(await pipelines.getPipeline('flux-system', 'podinfo')).toEqual(
      configured,
    );
    expect(
      await pipelines.getPipeline('flux-system', 'checkout'),
    ).toMatchObject({ source: 'cluster' });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /Pipeline flux-system\/podinfo from cluster main.*configured pipeline flux-system\/podinfo/,
    );
  });

  it('replaces only the pipelines of the cluster that reported, leaving those another replica follows', async () => {
    const { sink, pipelines } = await setup();
    // another replica stored edge's pipelines
    await pipelines.replacePipelines(
      'cluster',
      [{ ...configured, name: 'edge-app', source: 'cluster' }],
      { origin: 'edge' },
    );
    await sink.synced('main', 'Pipeline', [
      wgePipeline('checkout', 'checkout'),
    ]);
    await sink.changed('main', 'Pipeline', [
      {
        object: wgePipeline('checkout', 'checkout'),
        change: { ...ADDED, type: 'DELETED' },
      },
    ]);
    expect((await pipelines.listPipelines()).map(p => p.name)).toEqual([
      'edge-app',
    ]);
  });
});
