import { mockServices } from '@backstage/backend-test-utils';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
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
      expect((await replica.listPipelines()).map(p => p.name)).toEqual(['web']);
      await store.replacePipelines('cluster', [pipeline('api', 'cluster')], {
        origin: 'main',
      });
      expect((await replica.listPipelines()).map(p => p.name)).toEqual([
        'api',
        'web',
      ]);
      await store.replacePipelines('cluster', [], { origin: 'main' });
      expect((await replica.listPipelines()).map(p => p.name)).toEqual(['web']);
    });

    it('replaces one source without touching the other, idempotently', async () => {
      const { store } = await createStore();
      await store.replacePipelines(
        'cluster',
        [pipeline('from-cluster', 'cluster')],
        { origin: 'main' },
      );
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

    it('never lets one cluster replace or delete the pipeline another cluster defines, and says whose it is', async () => {
      const { store } = await createStore();
      const mains = pipeline('podinfo', 'cluster');
      const forged: Pipeline = {
        ...mains,
        environments: [
          { name: 'prod', targets: [{ cluster: 'prod', namespace: 'prod' }] },
        ],
      };
      await store.replacePipelines('cluster', [mains], { origin: 'main' });

      const result = await store.replacePipelines('cluster', [forged], {
        origin: 'prod-eu',
      });
      expect(result.conflicts).toEqual([{ pipeline: forged, ownedBy: 'main' }]);
      expect(await store.getPipeline('flux-system', 'podinfo')).toEqual(mains);
      expect(await store.originCluster('flux-system', 'podinfo')).toBe('main');

      // prod-eu removing its Pipeline leaves main's
      await store.replacePipelines('cluster', [], { origin: 'prod-eu' });
      expect(await store.getPipeline('flux-system', 'podinfo')).toEqual(mains);
    });

    it('lets a cluster replace only the pipelines of the clusters it outranks', async () => {
      const { store } = await createStore();
      const edges = pipeline('podinfo', 'cluster');
      const mains: Pipeline = { ...edges, promotion: { manual: true } };
      await store.replacePipelines('cluster', [edges], { origin: 'edge' });
      const result = await store.replacePipelines('cluster', [mains], {
        origin: 'main',
        outranks: ['edge'],
      });
      expect(result.conflicts).toEqual([]);
      expect(await store.getPipeline('flux-system', 'podinfo')).toEqual(mains);
      expect(await store.originCluster('flux-system', 'podinfo')).toBe('main');
      // edge, outranked, cannot take it back
      const back = await store.replacePipelines('cluster', [edges], {
        origin: 'edge',
      });
      expect(back.conflicts).toEqual([{ pipeline: edges, ownedBy: 'main' }]);
      expect(await store.getPipeline('flux-system', 'podinfo')).toEqual(mains);
    });

    it('keeps one origin per pipeline when two clusters store the same name at once', async () => {
      const { store } = await createStore();
      const a = pipeline('podinfo', 'cluster');
      const b: Pipeline = { ...a, promotion: { manual: true } };
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store.replacePipelines('cluster', [i % 2 ? b : a], {
            origin: i % 2 ? 'b' : 'a',
          }),
        ),
      );
      const origin = await store.originCluster('flux-system', 'podinfo');
      expect(await store.getPipeline('flux-system', 'podinfo')).toEqual(
        origin === 'a' ? a : b,
      );
      // every write of the other cluster was refused and reported
      const refused = results.filter(r => r.conflicts.length);
      expect(refused).toHaveLength(3);
      for (const r of refused) {
        expect(r.conflicts[0].ownedBy).toBe(origin);
      }
    });

    it('removes the cluster pipelines of origins and namespaces no longer trusted, and only those', async () => {
      const { store } = await createStore();
      await store.replacePipelines('config', [pipeline('web', 'config')]);
      await store.replacePipelines('cluster', [pipeline('a', 'cluster')], {
        origin: 'main',
      });
      await store.replacePipelines('cluster', [pipeline('b', 'cluster')], {
        origin: 'edge',
      });
      const removed = await store.removeUntrustedPipelines(
        cluster => cluster === 'main',
      );
      expect(removed).toEqual([
        { cluster: 'edge', namespace: 'flux-system', name: 'b' },
      ]);
      expect((await store.listPipelines()).map(p => p.name)).toEqual([
        'a',
        'web',
      ]);
      expect(await store.removeUntrustedPipelines(() => true)).toEqual([]);
    });

    it('refuses to replace cluster pipelines without naming the cluster', async () => {
      const { store } = await createStore();
      await expect(
        store.replacePipelines('cluster', [pipeline('a', 'cluster')]),
      ).rejects.toThrow(/per origin cluster/);
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
