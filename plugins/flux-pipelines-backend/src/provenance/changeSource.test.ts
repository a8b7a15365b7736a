import { GithubStandIn, startGithubStandIn } from '@internal/cluster-sim';
import { ClusterSim } from '@internal/cluster-sim';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  createTestRemote,
  TestRemote,
} from '../promotion/git/__testUtils__/testRemote';
import {
  ADA,
  ENVIRONMENTS,
  manifest,
  startPromotionBackend,
  startPromotionSim,
} from '../promotion/__testUtils__/promotionScenario';
import { stopStandIn } from '../promotion/scm/__testUtils__/fakeApi';
import { githubStandInIntegrations } from '../promotion/scm/__testUtils__/providerHarnesses';

jest.setTimeout(120_000);

const databases = createTestDatabases();

/**
 * Where each change came from, end to end: the fleet repository is served by
 * the GitHub stand-in (a repository the backend knows, so commits get links),
 * the stand-in cluster's GitOps loop deploys what it says, and the API
 * reports per deployment the commit, its link and who made it.
 */
describe.each(databases.eachSupportedId())(
  'where a deployment came from (%s)',
  databaseId => {
    let fleet: TestRemote;
    let github: GithubStandIn;
    let sim: ClusterSim;
    let b: Awaited<ReturnType<typeof startPromotionBackend>> | undefined;

    /** Commits `version` of `namespace` in the fleet's working tree as `author`. */
    const commitAs = (author: string, namespace: string, version: string) => {
      writeFileSync(
        join(fleet.path, 'apps', namespace, 'podinfo.yaml'),
        manifest(namespace, version),
      );
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', fleet.path, ...args], {
          encoding: 'utf8',
          env: Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')),
          ),
        }).trim();
      git('add', '--all');
      git(
        '-c',
        `user.name=${author}`,
        '-c',
        'user.email=author@example.com',
        'commit',
        '--quiet',
        '-m',
        `${namespace}: podinfo ${version}`,
      );
      return git('rev-parse', 'HEAD');
    };

    beforeEach(async () => {
      fleet = createTestRemote(
        Object.fromEntries(
          ENVIRONMENTS.map(ns => [
            `apps/${ns}/podinfo.yaml`,
            manifest(ns, '6.5.0'),
          ]),
        ),
        { workTree: true },
      );
      github = await startGithubStandIn({ repo: fleet.path, persist: false });
      sim = await startPromotionSim(fleet.url);
    });
    afterEach(async () => {
      await b?.backend.stop();
      b = undefined;
      await sim.stop();
      await stopStandIn(github, 'the GitHub API').finally(() =>
        fleet.cleanup(),
      );
    });

    it('reports the commit, its link and its author, or the promotion’s requester', async () => {
      const repository = `${github.url}/org/fleet.git`;
      b = await startPromotionBackend(sim, fleet.url, {
        knex: await databases.init(databaseId),
        integrations: {
          github: githubStandInIntegrations(github, github.token),
        },
        promotion: {
          repositories: [repository],
          allowInsecureHttp: true,
          pipelines: [
            {
              pipeline: 'flux-system/podinfo',
              strategy: { commit: { url: repository, branch: 'main' } },
              environments: [
                { name: 'test', automatic: false },
                { name: 'prod', manual: true },
              ],
            },
          ],
        },
      });

      await eventually(async () => {
        const d = (await b!.environment('dev')).targets[0].deployed;
        return d?.chartVersion === '6.5.0';
      }, 40_000);
      // Kubernetes times have whole seconds: a change in the same second as
      // the fleet's first apply could not be told apart from it.
      await new Promise(resolve => setTimeout(resolve, 1100));

      // A hand commit to dev: its sha, a link to it and its git author.
      const sha = commitAs('Grace Hopper', 'dev', '6.5.1');
      const dev = await eventually(async () => {
        const d = (await b!.environment('dev')).targets[0].deployed;
        // The revision is known once the Kustomization's event arrived too.
        return d?.sourceRevision === `main@sha1:${sha}` && d.changedBy
          ? d
          : undefined;
      }, 40_000);
      expect(dev).toMatchObject({
        sourceRevision: `main@sha1:${sha}`,
        commitUrl: `${github.url}/org/fleet/commit/${sha}`,
        changedBy: { name: 'Grace Hopper', via: 'commit' },
      });

      // A promotion of ours: the person who asked for it. Not in the second
      // dev changed: a Kustomization reconciliation in that second could not
      // be told apart from the one that changed dev.
      await new Promise(resolve => setTimeout(resolve, 1100));
      await eventually(
        async () =>
          (await b!.environment('test')).promotable?.version === '6.5.1',
        20_000,
      );
      const promoted = await b.promote({
        environment: 'test',
        version: '6.5.1',
        entityRef: 'component:default/podinfo',
      });
      expect(promoted.status).toBe(201);
      const promotion = await eventually(async () => {
        const { items } = await b!.get('/promotions?environment=test');
        return items[0]?.state === 'deployed' ? items[0] : undefined;
      }, 40_000);
      const test = await eventually(async () => {
        const d = (await b!.environment('test')).targets[0].deployed;
        return d?.chartVersion === '6.5.1' &&
          d.sourceRevision === `main@sha1:${promotion.commitSha}` &&
          d.commitUrl
          ? d
          : undefined;
      }, 20_000);
      expect(test).toMatchObject({
        sourceRevision: `main@sha1:${promotion.commitSha}`,
        commitUrl: `${github.url}/org/fleet/commit/${promotion.commitSha}`,
        changedBy: { name: 'ada', entityRef: ADA, via: 'promotion' },
      });

      // The execution history says the same.
      const { items } = await b.get('/executions');
      const execution = items.find((e: any) => e.chartVersion === '6.5.1');
      const inEnv = (name: string) =>
        execution.environments.find((e: any) => e.name === name).deployments[0];
      expect(inEnv('dev')).toMatchObject({
        sourceRevision: `main@sha1:${sha}`,
        changedBy: { name: 'Grace Hopper', via: 'commit' },
      });
      expect(inEnv('test').changedBy).toMatchObject({ name: 'ada' });
    });
  },
);
