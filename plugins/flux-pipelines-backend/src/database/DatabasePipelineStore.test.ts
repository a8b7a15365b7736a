import { mockServices } from '@backstage/backend-test-utils';
import { Pipeline } from '@internal/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabasePipelineStore } from './DatabasePipelineStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();

function pipeline(name: string, source: Pipeline['source']): Pipeline {
  return {
    namespace: 'flux-system',
    name,
    source,
    appRef: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      name,
    },
    environments: [
      { name: 'dev', targets: [{ cluster: 'local', namespace: 'dev' }] },
      { name: 'prod', targets: [{ cluster: 'prod', namespace: 'prod' }] },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'DatabasePipelineStore on %s',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      const store = new DatabasePipelineStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
      return { knex, store };
    }

    it('creates its tables through migrations and starts empty', async () => {
      const { knex, store } = await createStore();
      expect(await knex.schema.hasTable('pipelines')).toBe(true);
      expect(await store.listPipelines()).toEqual([]);
    });

    it('stores pipelines and reads them back whole', async () => {
      const { store } = await createStore();
      await store.replacePipelines('config', [pipeline('web', 'config')]);
      expect(await store.listPipelines()).toEqual([pipeline('web', 'config')]);
      expect(await store.getPipeline('flux-system', 'web')).toEqual(
        pipeline('web', 'config'),
      );
      expect(await store.getPipeline('flux-system', 'nope')).toBeUndefined();
    });

    it('sees changes another replica made since it last listed', async () => {
      const { knex, store } = await createStore();
      const replica = new DatabasePipelineStore(knex);
      await store.replacePipelines('config', [pipeline('web', 'config')]);
      expect((await replica.listPipelines()).map(p => p.name)).toEqual([
        'web',
      ]);
      await store.replacePipelines('cluster', [pipeline('api', 'cluster')]);
      expect((await replica.listPipelines()).map(p => p.name)).toEqual([
        'api',
        'web',
      ]);
      await store.replacePipelines('cluster', []);
      expect((await replica.listPipelines()).map(p => p.name)).toEqual([
        'web',
      ]);
    });

    it('replaces one source without touching the other, idempotently', async () => {
      const { store } = await createStore();
      await store.replacePipelines('cluster', [
        pipeline('from-cluster', 'cluster'),
      ]);
      await store.replacePipelines('config', [
        pipeline('a', 'config'),
        pipeline('b', 'config'),
      ]);
      await store.replacePipelines('config', [pipeline('b', 'config')]);
      await store.replacePipelines('config', [pipeline('b', 'config')]);

      const names = (await store.listPipelines()).map(p => p.name);
      expect(names).toEqual(['b', 'from-cluster']);
    });

    it('survives a restart: a new store on the same database sees the data', async () => {
      const { knex, store } = await createStore();
      await store.replacePipelines('config', [pipeline('web', 'config')]);
      const again = new DatabasePipelineStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
      expect((await again.listPipelines()).map(p => p.name)).toEqual(['web']);
    });

    it('configuration wins: a cluster Pipeline of the same namespace and name is not stored, whichever came first', async () => {
      const { store } = await createStore();
      const fromCluster = {
        ...pipeline('web', 'cluster'),
        appRef: { ...pipeline('web', 'cluster').appRef, name: 'other' },
      };
      // cluster first, then configuration at startup
      await store.replacePipelines('cluster', [fromCluster], {
        origin: 'main',
      });
      await store.replacePipelines('config', [pipeline('web', 'config')]);
      expect(await store.listPipelines()).toEqual([pipeline('web', 'config')]);

      // the cluster reports it again: ignored, and said so
      const result = await store.replacePipelines(
        'cluster',
        [fromCluster, pipeline('api', 'cluster')],
        { origin: 'main' },
      );
      expect(result.shadowed).toEqual([
        { pipeline: fromCluster, shadowedBy: pipeline('web', 'config') },
      ]);
      expect(await store.listPipelines()).toEqual([
        pipeline('api', 'cluster'),
        pipeline('web', 'config'),
      ]);
      // and removing it from the cluster does not remove the configured one
      await store.replacePipelines('cluster', [], { origin: 'main' });
      expect(await store.listPipelines()).toEqual([pipeline('web', 'config')]);
    });

    it('replaces the pipelines of one cluster without touching those of another', async () => {
      const { store } = await createStore();
      await store.replacePipelines('cluster', [pipeline('a', 'cluster')], {
        origin: 'main',
      });
      await store.replacePipelines('cluster', [pipeline('b', 'cluster')], {
        origin: 'edge',
      });
      await store.replacePipelines('cluster', [], { origin: 'main' });
      expect((await store.listPipelines()).map(p => p.name)).toEqual(['b']);
    });

    it('keeps the promotion settings of a pipeline', async () => {
      const { store } = await createStore();
      const promoted: Pipeline = {
        ...pipeline('web', 'config'),
        promotion: { manual: true },
      };
      await store.replacePipelines('config', [promoted]);
      expect(await store.getPipeline('flux-system', 'web')).toEqual(promoted);
    });
  },
);
