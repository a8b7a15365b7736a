import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { Pipeline, Promotion } from '@internal/plugin-flux-pipelines-common';
import { createTestRemote, TestRemote } from '../git/__testUtils__/testRemote';
import { createPullRequestProvider } from '../scm/createPullRequestProvider';
import { PullRequestProvider } from '../scm/PullRequestProvider';
import { parsePromotionMarker, promotionMarker } from '../scm/promotionMarker';
import { promotionBranch } from '../scm/promotionBranch';
import {
  FakeScmServer,
  startFakeScmServer,
} from '../scm/__testUtils__/fakeScmServer';
import { PromotionContext } from '../types';
import { PullRequestStrategy } from './PullRequestStrategy';

jest.setTimeout(60_000);

const TOKEN = 'BBDC-promotionTokenNeverLogged';
const REPO = 'PLAT/fleet';
const URL = 'https://bitbucket.example.com/scm/plat/fleet.git';
const BRANCH = promotionBranch('flux-system', 'podinfo', 'prod');
const MANIFEST = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: prod
spec:
  chart:
    spec:
      chart: podinfo
      version: ${version} # {"$promotion": "flux-system:podinfo:prod"}
`;

const pipeline: Pipeline = {
  namespace: 'flux-system',
  name: 'podinfo',
  source: 'cluster',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
  },
  environments: [
    { name: 'test', targets: [{ cluster: 'main', namespace: 'test' }] },
    { name: 'prod', targets: [{ cluster: 'main', namespace: 'prod' }] },
  ],
};

const promotion = (version: string, id: string): Promotion => ({
  id,
  pipelineNamespace: 'flux-system',
  pipelineName: 'podinfo',
  environment: 'prod',
  fromEnvironment: 'test',
  version,
  trigger: 'manual',
  strategy: 'pull-request',
  state: 'in-progress',
  requestedBy: 'user:default/ada',
  requestedAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
});

describe('PullRequestStrategy against a real git remote and a Bitbucket Server stand-in', () => {
  let remote: TestRemote;
  let server: FakeScmServer;
  let strategy: PullRequestStrategy;
  const logger = mockServices.logger.mock();

  beforeEach(async () => {
    remote = createTestRemote({ 'apps/prod/podinfo.yaml': MANIFEST('6.5.0') });
    server = await startFakeScmServer({
      githubToken: 'unused',
      gitlabToken: 'unused',
      bitbucketServerToken: TOKEN,
    });
    server.bitbucketServer.addRepository(REPO, ['main']);
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          bitbucketServer: [
            {
              host: 'bitbucket.example.com',
              apiBaseUrl: server.bitbucketServerApiBaseUrl,
              token: TOKEN,
            },
          ],
        },
      }),
    );
    // The stand-in learns the branches from the real remote, as Bitbucket would.
    const syncBranches = () => {
      for (const b of remote
        .git('branch', '--format=%(refname:short)')
        .split('\n')) {
        if (b) server.bitbucketServer.pushBranch(REPO, b);
      }
    };
    const providerFor = (): PullRequestProvider => {
      const real = createPullRequestProvider({
        provider: 'bitbucket-server',
        url: URL,
        integrations,
      });
      return new Proxy(real, {
        get: (target, key) => {
          const value = (target as any)[key];
          return typeof value === 'function'
            ? (...args: unknown[]) => {
                syncBranches();
                return value.apply(target, args);
              }
            : value;
        },
      });
    };
    strategy = new PullRequestStrategy({
      integrations,
      allowedRepositories: [remote.url],
      logger,
      cloneUrl: () => remote.url,
      providerFor,
    });
  });

  afterEach(async () => {
    const violations = [...server.violations];
    await server.stop();
    remote.cleanup();
    if (violations.length) {
      throw new Error(
        `Requests broke the Bitbucket Server API:\n${violations.join('\n')}`,
      );
    }
  });

  const context = (p: Promotion): PromotionContext => ({
    pipeline,
    promotion: p,
    spec: {
      type: 'pull-request',
      provider: 'bitbucket-server',
      url: URL,
      baseBranch: 'main',
    },
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
  });

  it('opens one pull request, updates it for a newer version, closes a stale one, and follows it to merged by URL', async () => {
    remote.commit(
      'stale-branch',
      { 'apps/prod/podinfo.yaml': MANIFEST('6.4.0') },
      'old promotion',
    );
    server.bitbucketServer.openPullRequest(REPO, {
      fromBranch: 'stale-branch',
      title: 'Promote 6.4.0',
      description: promotionMarker({
        pipelineNamespace: 'flux-system',
        pipelineName: 'podinfo',
        environment: 'prod',
        version: '6.4.0',
      }),
    });

    const first = await strategy.promote(context(promotion('6.5.1', 'p-1')));
    expect(first).toEqual({
      state: 'pr-open',
      pullRequestUrl:
        'https://bitbucket.example.com/projects/PLAT/repos/fleet/pull-requests/2',
    });
    const pulls = () => server.bitbucketServer.pullRequests(REPO);
    const [stale, ours] = pulls();
    expect(stale).toMatchObject({ state: 'DECLINED' });
    expect(stale.comments.join('\n')).toContain(
      `Superseded by ${(first as { pullRequestUrl: string }).pullRequestUrl}`,
    );
    expect(ours).toMatchObject({
      state: 'OPEN',
      fromBranch: BRANCH,
      toBranch: 'main',
    });
    expect(remote.show(BRANCH, 'apps/prod/podinfo.yaml')).toBe(
      MANIFEST('6.5.1').trimEnd(),
    );

    const second = await strategy.promote(context(promotion('6.5.2', 'p-2')));
    expect(second).toEqual(first);
    expect(pulls().filter(p => p.state === 'OPEN')).toHaveLength(1);
    expect(pulls()[1].title).toBe('Promote flux-system/podinfo 6.5.2 to prod');
    expect(parsePromotionMarker(pulls()[1].description)).toMatchObject({
      version: '6.5.2',
      promotionId: 'p-2',
    });

    const url = (first as { pullRequestUrl: string }).pullRequestUrl;
    const ctx = context(promotion('6.5.2', 'p-2'));
    expect(await strategy.follow(ctx, url)).toBe('open');
    server.bitbucketServer.merge(REPO, 2);
    expect(await strategy.follow(ctx, url)).toBe('merged');
    // The page a person copies from the browser reads the same.
    expect(await strategy.follow(ctx, `${url}/overview`)).toBe('merged');
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(TOKEN);
  });
});
