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

const TOKEN = 'ghp_promotionTokenNeverLogged';
const BRANCH = promotionBranch('flux-system', 'podinfo', 'prod');
const MANIFEST = (version: string) => `# podinfo in prod
apiVersion: helm.toolkit.fluxcd.io/v2
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

function promotion(version: string, id: string): Promotion {
  return {
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
  };
}

describe('PullRequestStrategy against a real git remote and a GitHub stand-in', () => {
  let remote: TestRemote;
  let server: FakeScmServer;
  let strategy: PullRequestStrategy;
  const logger = mockServices.logger.mock();

  beforeEach(async () => {
    remote = createTestRemote({ 'apps/prod/podinfo.yaml': MANIFEST('6.5.0') });
    server = await startFakeScmServer({
      githubToken: TOKEN,
      gitlabToken: 'unused',
    });
    server.github.addRepository('org/fleet', ['main']);
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'github.com',
              apiBaseUrl: server.githubApiBaseUrl,
              token: TOKEN,
            },
          ],
        },
      }),
    );
    // The stand-in learns the branches from the real remote, as GitHub would.
    const syncBranches = () => {
      for (const b of remote
        .git('branch', '--format=%(refname:short)')
        .split('\n')) {
        if (b) server.github.pushBranch('org/fleet', b);
      }
    };
    const providerFor = (): PullRequestProvider => {
      const real = createPullRequestProvider({
        provider: 'github',
        url: 'https://github.com/org/fleet',
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
        `Requests broke the GitHub API:\n${violations.join('\n')}`,
      );
    }
  });

  const context = (p: Promotion): PromotionContext => ({
    pipeline,
    promotion: p,
    spec: {
      type: 'pull-request',
      provider: 'github',
      url: 'https://github.com/org/fleet',
      baseBranch: 'main',
    },
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
  });

  it('opens one pull request from the pipeline\u2019s branch, updates it for a newer version, and follows it to merged', async () => {
    const first = await strategy.promote(context(promotion('6.5.1', 'p-1')));
    expect(first.state).toBe('pr-open');
    const pulls = () => server.github.pulls('org/fleet');
    expect(pulls()).toHaveLength(1);
    expect(remote.show(BRANCH, 'apps/prod/podinfo.yaml')).toBe(
      MANIFEST('6.5.1').trimEnd(),
    );
    expect(remote.show('main', 'apps/prod/podinfo.yaml')).toBe(
      MANIFEST('6.5.0').trimEnd(),
    );
    expect(remote.git('log', '-1', '--format=%an <%ae>', BRANCH)).toBe(
      'Ada Lovelace <ada@example.com>',
    );
    const body = pulls()[0].body!;
    expect(parsePromotionMarker(body)).toMatchObject({
      pipelineNamespace: 'flux-system',
      pipelineName: 'podinfo',
      environment: 'prod',
      version: '6.5.1',
      promotionId: 'p-1',
    });

    // A newer version: the same pull request, rebuilt from main, now says 6.5.2.
    const second = await strategy.promote(context(promotion('6.5.2', 'p-2')));
    expect(second).toEqual(first);
    expect(pulls()).toHaveLength(1);
    expect(pulls()[0].title).toBe('Promote flux-system/podinfo 6.5.2 to prod');
    expect(parsePromotionMarker(pulls()[0].body)).toMatchObject({
      version: '6.5.2',
      promotionId: 'p-2',
    });
    expect(remote.show(BRANCH, 'apps/prod/podinfo.yaml')).toBe(
      MANIFEST('6.5.2').trimEnd(),
    );
    expect(remote.git('rev-list', '--count', `main..${BRANCH}`)).toBe('1');

    const url = (first as { pullRequestUrl: string }).pullRequestUrl;
    expect(await strategy.follow(context(promotion('6.5.2', 'p-2')), url)).toBe(
      'open',
    );
    server.github.merge('org/fleet', pulls()[0].number);
    expect(await strategy.follow(context(promotion('6.5.2', 'p-2')), url)).toBe(
      'merged',
    );
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(TOKEN);
  });

  it('closes other open pull requests for the same environment with a comment', async () => {
    remote.commit(
      'stale-branch',
      { 'apps/prod/podinfo.yaml': MANIFEST('6.4.0') },
      'old promotion',
    );
    server.github.pushBranch('org/fleet', 'stale-branch');
    server.github.openPull('org/fleet', {
      head: 'stale-branch',
      base: 'main',
      title: 'Promote 6.4.0',
      body: promotionMarker({
        pipelineNamespace: 'flux-system',
        pipelineName: 'podinfo',
        environment: 'prod',
        version: '6.4.0',
      }),
    });
    const outcome = await strategy.promote(context(promotion('6.5.1', 'p-3')));
    const pulls = server.github.pulls('org/fleet');
    const stale = pulls.find(p => p.head === 'stale-branch')!;
    expect(stale.state).toBe('closed');
    expect(stale.comments.join('\n')).toContain(
      `Superseded by ${(outcome as { pullRequestUrl: string }).pullRequestUrl}`,
    );
    expect(pulls.filter(p => p.state === 'open')).toHaveLength(1);
  });

  it('previews the diff without pushing a branch or opening a pull request', async () => {
    const diffs = await strategy.preview(context(promotion('6.5.1', 'p-4')));
    expect(diffs).toHaveLength(1);
    expect(diffs[0].diff).toContain('+      version: 6.5.1');
    expect(remote.git('branch', '--list', BRANCH)).toBe('');
    expect(server.github.pulls('org/fleet')).toEqual([]);
  });
});
