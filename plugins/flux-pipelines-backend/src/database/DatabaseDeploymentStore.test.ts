import { mockServices } from '@backstage/backend-test-utils';
import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { newestFirst } from './DeploymentStore';
import { migrateDatabase } from './migrateDatabase';

const databases = createTestDatabases();

const ref = {
  cluster: 'main',
  namespace: 'dev',
  kind: 'HelmRelease' as const,
  name: 'podinfo',
};

function deployment(
  version: string,
  extra: Partial<TargetDeployment> = {},
): TargetDeployment {
  return {
    ...ref,
    chartVersion: version,
    appVersion: version,
    status: 'succeeded',
    message: `Helm upgrade succeeded for release dev/podinfo.v3 with chart podinfo@${version}`,
    startedAt: '2026-11-26T09:00:00.000Z',
    finishedAt: '2026-11-26T09:00:42.000Z',
    durationMs: 42_000,
    updatedAt: '2026-11-26T09:00:42.000Z',
    ...extra,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseDeploymentStore on %s',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      return new DatabaseDeploymentStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
    }

    it('keeps a deployment whole and replaces it by object and version', async () => {
      const store = await createStore();
      await store.save([
        deployment('6.5.0', {
          status: 'progressing',
          finishedAt: undefined,
          durationMs: undefined,
        }),
      ]);
      await store.save([deployment('6.5.0')]);
      expect(await store.listForObject(ref)).toEqual([deployment('6.5.0')]);
    });

    it('on a change in the same second, lists the reconciliation started later first, as newestFirst does', async () => {
      const store = await createStore();
      // A failed health check of one revision and the next revision's
      // success both end at :26 (whole seconds); the next one began later.
      // The revisions are named so that their order disagrees with time.
      const failed = deployment('main@sha1:ffff', {
        status: 'failed',
        startedAt: '2026-11-26T09:00:25.000Z',
        finishedAt: '2026-11-26T09:00:26.000Z',
        updatedAt: '2026-11-26T09:00:26.000Z',
      });
      const next = deployment('main@sha1:0000', {
        startedAt: '2026-11-26T09:00:26.000Z',
        finishedAt: '2026-11-26T09:00:26.000Z',
        updatedAt: '2026-11-26T09:00:26.000Z',
      });
      const unknownStart = deployment('main@sha1:9999', {
        status: 'superseded',
        startedAt: undefined,
        updatedAt: '2026-11-26T09:00:26.000Z',
      });
      await store.save([failed, unknownStart, next]);
      const listed = await store.listForObject(ref);
      expect(listed.map(d => d.chartVersion)).toEqual([
        'main@sha1:0000',
        'main@sha1:ffff',
        'main@sha1:9999',
      ]);
      expect(
        [unknownStart, failed, next].sort(newestFirst).map(d => d.chartVersion),
      ).toEqual(listed.map(d => d.chartVersion));
    });

    it('lists the versions of one object, most recently changed first', async () => {
      const store = await createStore();
      await store.save([
        deployment('6.5.0', { status: 'superseded' }),
        deployment('6.5.1', { updatedAt: '2026-11-26T10:00:00.000Z' }),
        { ...deployment('9.9.9'), namespace: 'prod' },
      ]);
      expect((await store.listForObject(ref)).map(d => d.chartVersion)).toEqual(
        ['6.5.1', '6.5.0'],
      );
    });

    it('lists the versions of many objects in one call, newest first, and nothing else', async () => {
      const store = await createStore();
      const prod = { ...ref, cluster: 'edge', namespace: 'prod' };
      await store.save([
        deployment('6.5.0', { status: 'superseded' }),
        deployment('6.5.1', { updatedAt: '2026-11-26T10:00:00.000Z' }),
        {
          ...deployment('6.5.0'),
          ...prod,
          updatedAt: '2026-11-26T09:30:00.000Z',
        },
        { ...deployment('9.9.9'), namespace: 'elsewhere' },
        { ...deployment('9.9.9'), name: 'other' },
      ]);
      const listed = await store.listForObjects([ref, prod, ref]);
      expect(listed.map(d => `${d.namespace}@${d.chartVersion}`)).toEqual([
        'dev@6.5.1',
        'prod@6.5.0',
        'dev@6.5.0',
      ]);
      expect(await store.listForObjects([])).toEqual([]);
    });

    it('saves more deployments at once than one insert can carry', async () => {
      const store = await createStore();
      const many = Array.from({ length: 1200 }, (_, i) =>
        deployment(`1.0.${i}`, { status: 'superseded' }),
      );
      await store.save(many);
      expect(await store.listForObject(ref)).toHaveLength(1200);
    });

    it('lists deployments of more objects than fit in one query', async () => {
      const store = await createStore();
      const refs = Array.from({ length: 450 }, (_, i) => ({
        ...ref,
        name: `app-${i}`,
      }));
      await store.save(refs.map(r => ({ ...deployment('1.0.0'), ...r })));
      expect(await store.listForObjects(refs)).toHaveLength(450);
    });

    it('gives ingest its working set: the newest versions, the deployed one and those asked for, not the whole history', async () => {
      const store = await createStore();
      const at = (minute: number) =>
        new Date(Date.UTC(2026, 10, 26, 9, minute)).toISOString();
      await store.save([
        deployment('0.1.0', { status: 'superseded', updatedAt: at(0) }),
        deployment('1.0.0', { updatedAt: at(1) }),
        ...Array.from({ length: 30 }, (_, i) =>
          deployment(`1.${i + 1}.0`, {
            status: 'failed',
            updatedAt: at(i + 2),
          }),
        ),
      ]);
      const other = { ...ref, name: 'other' };
      await store.save([{ ...deployment('9.0.0'), ...other }]);

      const set = await store.listWorkingSet([
        { ref, versions: ['0.1.0', '7.7.7'] },
      ]);
      expect(set.map(d => d.chartVersion).sort()).toEqual(
        [
          '0.1.0',
          '1.0.0',
          ...Array.from({ length: 10 }, (_, i) => `1.${30 - i}.0`),
        ].sort(),
      );
      expect(
        (
          await store.listWorkingSet([
            { ref, versions: [] },
            { ref: other, versions: [] },
          ])
        ).filter(d => d.name === 'other'),
      ).toEqual([expect.objectContaining({ chartVersion: '9.0.0' })]);
    });
  },
);
