import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSim } from '@internal/cluster-sim';
import request from 'supertest';
import { linkedEntity } from '../__testUtils__/catalogEntities';
import { startCredentialTrap } from '../__testUtils__/credentialTrap';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  clusterConfig,
  eventually,
  pipelineSources,
  release,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  createTestRemote,
  TestRemote,
} from '../promotion/git/__testUtils__/testRemote';
import { fluxPipelinesPlugin } from '../plugin';
import {
  fleetRelease,
  pipelineObject,
} from './__testUtils__/promotionDestinationsSetup';

jest.setTimeout(90_000);

const databases = createTestDatabases();

const TOKEN = 'ghp_Destinations7Kq2NeverOverHttp';
const TEST_FILE = 'apps/test/podinfo.yaml';
const PROD_FILE = 'apps/prod/podinfo.yaml';

/**
 * Issue #13 attacks 1 and 4, played by whoever may create Pipeline objects
 * on a watched cluster: each hostile Pipeline names the fleet repository
 * (a real bare git repository) or an integration host over plain http. The
 * allow-list in app-config lets cluster pipelines edit only apps/test/*.yaml
 * on main of the fleet, and only version fields.
 */
describe.each(databases.eachSupportedId())(
  'security: promotion destinations, %p',
  databaseId => {
    let sim: ClusterSim;
    let fleet: TestRemote;
    let trap: Awaited<ReturnType<typeof startCredentialTrap>>;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    const commit = (extra: object = {}) => ({
      commit: { url: fleet.url, branch: 'main', ...extra },
    });
    const api = (name: string, path = '') =>
      `/api/flux-pipelines/pipelines/flux-system/${name}/promotions${path}`;
    const promote = (name: string) =>
      request(backend.server)
        .post(api(name))
        .set('Authorization', mockCredentials.user.header())
        .send({
          environment: 'test',
          version: '6.5.1',
          entityRef: `component:default/${name}`,
        });
    const preview = (name: string) =>
      request(backend.server)
        .get(api(name, '/preview'))
        .query({
          environment: 'test',
          version: '6.5.1',
          entityRef: `component:default/${name}`,
        })
        .set('Authorization', mockCredentials.user.header());
    const fleetLog = () => fleet.git('log', '--format=%s', '--all').split('\n');

    /** Both the preview and the request are refused with 403, naming the rule. */
    async function expectRefused(name: string, reason: string) {
      for (const res of [await preview(name), await promote(name)]) {
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 403,
          message: expect.stringContaining(reason),
        });
      }
    }

    beforeAll(async () => {
      fleet = createTestRemote({
        [TEST_FILE]: fleetRelease('test', '6.5.0', 'flux-system:allowed:test'),
        [PROD_FILE]: fleetRelease(
          'prod',
          '6.5.0',
          'flux-system:marked-prod:test',
        ),
      });
      trap = await startCredentialTrap();
      sim = await startSim({ namespaces: ['dev', 'test'] });
      const pipelines = {
        allowed: commit(),
        'marked-prod': commit(),
        'path-prod': commit({
          path: PROD_FILE,
          field: 'spec.chart.spec.version',
        }),
        'other-branch': commit({ branch: 'release' }),
        replicas: commit({
          path: TEST_FILE,
          field: 'spec.values.replicaCount',
        }),
        // On the integration's host, but not listed.
        unlisted: {
          commit: { url: `${trap.url}/org/other.git`, branch: 'main' },
        },
        'http-commit': {
          commit: { url: `${trap.url}/org/fleet.git`, branch: 'main' },
        },
        'http-pr': {
          'pull-request': {
            type: 'github',
            url: `${trap.url}/org/fleet.git`,
            baseBranch: 'main',
          },
        },
      };
      sim.apply(
        Object.entries(pipelines).map(([name, s]) => pipelineObject(name, s)),
      );
      backend = await startTestBackend({
        features: [
          fluxPipelinesPlugin,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          catalogServiceMock.factory({
            entities: Object.keys(pipelines).map(name => linkedEntity(name)),
          }),
          mockServices.rootConfig.factory({
            data: {
              integrations: {
                github: [
                  {
                    host: `127.0.0.1:${trap.port}`,
                    apiBaseUrl: `${trap.url}/api/v3`,
                    token: TOKEN,
                  },
                ],
              },
              kubernetes: {
                clusterLocatorMethods: [
                  { type: 'config', clusters: [clusterConfig('main', sim)] },
                ],
              },
              fluxPipelines: {
                pipelineSources: pipelineSources('main'),
                promotion: {
                  followIntervalSeconds: 1,
                  repositories: [
                    // Another spelling of the same repository: it must match.
                    {
                      url: `${fleet.url.replace(/\.git$/, '')}.git/`,
                      branches: ['main'],
                      paths: ['apps/test/*.yaml'],
                    },
                    // Listed, but reached over plain http (allowInsecureHttp is unset).
                    {
                      url: `${trap.url}/org/fleet`,
                      branches: ['main'],
                      paths: ['**'],
                    },
                  ],
                },
              },
            },
          }),
        ],
      });
      // dev runs 6.5.1 and it is promotable to test in every pipeline.
      await release(sim, 'dev', '6.5.1');
      await eventually(async () => {
        const res = await request(backend.server)
          .get('/api/flux-pipelines/pipelines/flux-system/allowed')
          .set('Authorization', mockCredentials.user.header());
        const test = res.body.environments?.find((e: any) => e.name === 'test');
        return test?.promotable?.version === '6.5.1';
      }, 30_000);
    });

    afterAll(async () => {
      await backend?.stop();
      await sim?.stop();
      await trap?.stop();
      fleet?.cleanup();
    });

    it('commits where the allow-list allows: the version line of apps/test/podinfo.yaml on main', async () => {
      await eventually(
        async () =>
          fleetLog().includes('Promote flux-system/allowed 6.5.1 to test'),
        30_000,
      );
      expect(fleet.show('main', TEST_FILE)).toBe(
        fleetRelease('test', '6.5.1', 'flux-system:allowed:test').trimEnd(),
      );
    });

    it('refuses a Pipeline whose marked line is in a file the allow-list does not name (apps/prod)', async () => {
      const reason = `refused by fluxPipelines.promotion.repositories: path ${PROD_FILE} is not allowed`;
      const previewed = await preview('marked-prod');
      expect(previewed.status).toBe(403);
      expect(previewed.body.error.message).toContain(reason);
      // Which files carry the marker is known only in a clone: the request is
      // recorded, and the promotion (or the automatic one before it) fails
      // before anything is pushed.
      expect([200, 201, 409]).toContain((await promote('marked-prod')).status);
      const failed = await eventually(async () => {
        const res = await request(backend.server)
          .get(api('marked-prod'))
          .set('Authorization', mockCredentials.user.header());
        return res.body.items?.find((p: any) => p.state === 'failed');
      }, 30_000);
      expect(failed.error).toContain(reason);
    });

    it('refuses a Pipeline whose path points at apps/prod/podinfo.yaml', async () => {
      await expectRefused(
        'path-prod',
        `refused by fluxPipelines.promotion.repositories: path ${PROD_FILE} is not allowed`,
      );
    });

    it('refuses a branch the allow-list does not name', async () => {
      await expectRefused(
        'other-branch',
        'refused by fluxPipelines.promotion.repositories: branch release is not allowed',
      );
    });

    it('refuses a field that is not a version field (spec.values.replicaCount)', async () => {
      await expectRefused(
        'replicas',
        'refused by fluxPipelines.promotion.versionFields: field spec.values.replicaCount is not a version field',
      );
    });

    it('refuses a repository that app-config does not list, even on an integration host', async () => {
      await expectRefused(
        'unlisted',
        `refused by fluxPipelines.promotion.repositories: ${trap.url}/org/other.git is not listed`,
      );
      expect(trap.requests).toEqual([]);
    });

    it('never sends the integration token over plain http, for git or the pull-request API', async () => {
      for (const name of ['http-commit', 'http-pr']) {
        await expectRefused(
          name,
          'refused by fluxPipelines.promotion.allowInsecureHttp: the git credentials',
        );
      }
      expect(trap.requests).toEqual([]);
    });

    it('leaves nothing else in the fleet repository', async () => {
      // Let the follow-up loop run a few more times.
      await new Promise(r => setTimeout(r, 3_000));
      expect(fleetLog()).toEqual([
        'Promote flux-system/allowed 6.5.1 to test',
        'Seed',
      ]);
      expect(fleet.git('branch', '--format=%(refname:short)')).toBe('main');
      expect(fleet.show('main', PROD_FILE)).toBe(
        fleetRelease('prod', '6.5.0', 'flux-system:marked-prod:test').trimEnd(),
      );
      expect(trap.requests).toEqual([]);
    });
  },
);
