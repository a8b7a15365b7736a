import { mockServices } from '@backstage/backend-test-utils';
import { ClusterSim } from '@internal/cluster-sim';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { pipelineFromWge } from '../follow/pipelineFromWge';
import {
  eventually,
  pipelineSources,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  startPipelineSim,
  startSourcesBackend,
  wgePipelineIn,
} from './__testUtils__/pipelineSourcesHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** What an untrusted Pipeline became in a version without pipeline sources. */
function storedBefore(cluster: string, namespace: string, name: string) {
  const read = pipelineFromWge(
    cluster,
    wgePipelineIn(namespace, name, ['dev', 'prod']),
  );
  if ('error' in read) throw new Error(read.error);
  return read.pipeline;
}

describe.each(databases.eachSupportedId())(
  'security: pipelines stored before pipeline sources, on %s',
  id => {
    const sims: ClusterSim[] = [];
    let stop: (() => Promise<void>) | undefined;

    afterEach(async () => {
      await stop?.();
      await Promise.all(sims.splice(0).map(s => s.stop()));
    });

    it('are removed at start when their cluster and namespace are no source, so they neither act nor block the trusted pipeline', async () => {
      const knex = await databases.init(id);
      const store = new DatabasePipelineStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
      // An earlier version stored a tenant's and another cluster's Pipelines.
      await store.replacePipelines(
        'cluster',
        [storedBefore('main', 'dev', 'sneaky')],
        { origin: 'main' },
      );
      await store.replacePipelines(
        'cluster',
        [storedBefore('prod-eu', 'flux-system', 'podinfo')],
        { origin: 'prod-eu' },
      );

      const main = await startPipelineSim([
        wgePipelineIn('flux-system', 'podinfo', ['dev', 'test']),
      ]);
      const prodEu = await startPipelineSim();
      sims.push(main, prodEu);
      const b = await startSourcesBackend({
        knex,
        clusters: { main, 'prod-eu': prodEu },
        pipelineSources: pipelineSources('main'),
      });
      stop = b.stop;

      // prod-eu is no source: only removal at start stops its pipeline.
      expect(
        await eventually(async () => {
          const envs = await b.environmentsOf('flux-system', 'podinfo');
          return envs?.includes('test') ? envs : undefined;
        }),
      ).toEqual(['dev', 'test']);
      expect(await b.environmentsOf('dev', 'sneaky')).toBeUndefined();
      expect(b.logger.warn).toHaveBeenCalledWith(
        'Removed the stored pipeline flux-system/podinfo of cluster prod-eu: refused by fluxPipelines.pipelineSources',
        { cluster: 'prod-eu', namespace: 'flux-system', name: 'podinfo' },
      );
    });
  },
);
