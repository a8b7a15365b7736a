import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { AppLabels } from './AppLabelStore';
import { DatabaseAppLabelStore } from './DatabaseAppLabelStore';
import { DatabasePipelineStore } from './DatabasePipelineStore';
import { DatabaseRevisionStore } from './DatabaseRevisionStore';
import { LABELS_KEY } from './RevisionStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();
const ID = 'backstage.io/kubernetes-id';

const ref = (namespace: string, name = 'podinfo', cluster = 'main') => ({
  cluster,
  namespace,
  kind: 'HelmRelease' as const,
  name,
});

describe.each(databases.eachSupportedId())(
  'DatabaseAppLabelStore on %s',
  id => {
    async function createStore() {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(id) }),
      );
      return { store: new DatabaseAppLabelStore(knex), knex };
    }

    it('finds apps by label on any cluster, and forgets replaced labels', async () => {
      const { store, knex } = await createStore();
      await store.setLabels(ref('dev'), { [ID]: 'podinfo', team: 'a' });
      await store.setLabels(ref('prod', 'podinfo', 'edge'), {
        [ID]: 'podinfo',
      });
      await store.setLabels(ref('dev', 'other'), { [ID]: 'other' });
      expect(await store.findByLabel(ID, 'podinfo')).toEqual([
        ref('prod', 'podinfo', 'edge'),
        ref('dev'),
      ]);
      await store.setLabels(ref('dev'), { team: 'b' });
      expect(await store.findByLabel(ID, 'podinfo')).toEqual([
        ref('prod', 'podinfo', 'edge'),
      ]);
      expect(await store.findByLabel('team', 'b')).toEqual([ref('dev')]);
      // also through the pipeline store, which the router has
      expect(
        await new DatabasePipelineStore(knex).findAppsByLabel(ID, 'other'),
      ).toEqual([ref('dev', 'other')]);
    });

    it('replaces all apps of one kind on one cluster after a list, and nothing else', async () => {
      const { store } = await createStore();
      await store.setLabels(ref('dev'), { [ID]: 'podinfo' });
      await store.setLabels(ref('gone'), { [ID]: 'podinfo' });
      await store.setLabels(ref('prod', 'podinfo', 'edge'), {
        [ID]: 'podinfo',
      });
      await store.setLabels(
        { ...ref('dev'), kind: 'Kustomization' },
        { [ID]: 'podinfo' },
      );
      await store.replaceKind('main', 'HelmRelease', [
        { ref: ref('dev'), labels: { [ID]: 'podinfo' } },
        { ref: ref('test'), labels: { [ID]: 'podinfo' } },
      ]);
      expect(
        (await store.findByLabel(ID, 'podinfo')).map(
          r => `${r.cluster}/${r.kind}/${r.namespace}`,
        ),
      ).toEqual([
        'edge/HelmRelease/prod',
        'main/HelmRelease/dev',
        'main/Kustomization/dev',
        'main/HelmRelease/test',
      ]);
    });

    it('a relist that finds the labels stored changes no revision, a changed one does', async () => {
      const { store, knex } = await createStore();
      const revisions = new DatabaseRevisionStore(knex);
      const labels = async () =>
        (await revisions.read([LABELS_KEY])).get(LABELS_KEY);
      const apps: AppLabels[] = [
        { ref: ref('dev'), labels: { [ID]: 'podinfo', team: 'a' } },
        { ref: ref('test'), labels: { [ID]: 'podinfo' } },
      ];
      await store.replaceKind('main', 'HelmRelease', apps);
      const first = await labels();

      await store.replaceKind('main', 'HelmRelease', [...apps].reverse());
      expect(await labels()).toBe(first);

      await store.replaceKind('main', 'HelmRelease', [
        apps[0],
        { ref: ref('test'), labels: { [ID]: 'checkout' } },
      ]);
      expect(await labels()).not.toBe(first);
      expect(await store.findByLabel(ID, 'checkout')).toEqual([ref('test')]);
    });

    it('a page of a relist that finds its labels stored changes no revision; forgetting only what no page listed does', async () => {
      const { store, knex } = await createStore();
      const revisions = new DatabaseRevisionStore(knex);
      const labels = async () =>
        (await revisions.read([LABELS_KEY])).get(LABELS_KEY);
      const dev = { ref: ref('dev'), labels: { [ID]: 'podinfo', team: 'a' } };
      const test = { ref: ref('test'), labels: { [ID]: 'podinfo' } };
      await store.replaceApps('main', 'HelmRelease', [dev, test]);
      const first = await labels();

      await store.replaceApps('main', 'HelmRelease', [test]);
      await store.forgetUnlisted(
        'main',
        'HelmRelease',
        new Set(['dev/podinfo', 'test/podinfo']),
      );
      expect(await labels()).toBe(first);

      await store.replaceApps('main', 'HelmRelease', [
        { ref: ref('dev'), labels: { [ID]: 'podinfo' } },
      ]);
      const second = await labels();
      expect(second).not.toBe(first);
      expect(await store.labelValues([ref('dev')], 'team')).toEqual([]);

      await store.forgetUnlisted(
        'main',
        'HelmRelease',
        new Set(['dev/podinfo']),
      );
      expect(await labels()).not.toBe(second);
      expect(await store.findByLabel(ID, 'podinfo')).toEqual([ref('dev')]);
    });

    it('skips values Kubernetes would not allow instead of failing', async () => {
      const { store } = await createStore();
      await store.setLabels(ref('dev'), { [ID]: 'x'.repeat(64), ok: 'y' });
      expect(await store.findByLabel('ok', 'y')).toEqual([ref('dev')]);
    });
  },
);
