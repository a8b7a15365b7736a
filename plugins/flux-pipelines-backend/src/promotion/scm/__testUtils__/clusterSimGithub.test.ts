import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { GithubStandIn, startGithubStandIn } from '@internal/cluster-sim';
import { Promotion } from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  podinfoRelease,
  prodPromotion,
  pullRequestContext,
} from '../../__testUtils__/fixtures';
import {
  createTestRemote,
  TestRemote,
} from '../../git/__testUtils__/testRemote';
import { DEFAULT_VERSION_FIELDS } from '../../../config/readDestinationConfig';
import { DestinationPolicy } from '../../git/DestinationPolicy';
import { PullRequestStrategy } from '../../strategies/PullRequestStrategy';
import { GithubPullRequestProvider } from '../GithubPullRequestProvider';
import { parsePromotionMarker } from '../promotionMarker';
import { stopStandIn } from './fakeApi';
import {
  githubStandInIntegrations,
  integrationsFrom,
} from './providerHarnesses';

jest.setTimeout(60_000);

const TOKEN = 'cluster-sim-token';
const FILE = 'apps/prod/podinfo.yaml';

/**
 * The backend's real GitHub provider and pull-request strategy against the
 * cluster stand-in's GitHub (what the demo runs): the strategy clones and
 * pushes over the stand-in's git HTTP, opens the pull request through its
 * API, and a merge there lands on the fleet repository's main.
 */
describe('the pull-request promotion against the cluster-sim GitHub stand-in', () => {
  let fleet: TestRemote;
  let github: GithubStandIn;
  let integrations: ScmIntegrations;
  let url: string;

  beforeEach(async () => {
    fleet = createTestRemote(
      { [FILE]: podinfoRelease('prod', '6.5.0') },
      { workTree: true },
    );
    github = await startGithubStandIn({ repo: fleet.path, token: TOKEN });
    integrations = integrationsFrom({
      github: githubStandInIntegrations(github, TOKEN),
    });
    url = `${github.url}/example/fleet.git`;
  });

  afterEach(() =>
    stopStandIn(github, 'the GitHub API').finally(() => fleet.cleanup()),
  );

  const context = (p: Promotion) =>
    pullRequestContext({ provider: 'github', url }, p);

  it('promotes by pull request, follows it to merged and finds the version on main', async () => {
    const strategy = new PullRequestStrategy({
      integrations,
      destinations: new DestinationPolicy({
        repositories: [{ url, branches: ['main'], paths: ['apps/prod/*'] }],
        versionFields: DEFAULT_VERSION_FIELDS,
        // The stand-in serves git and its API over http on 127.0.0.1.
        allowInsecureHttp: true,
      }),
      logger: mockServices.logger.mock(),
    });

    const first = await strategy.promote(
      context(prodPromotion('6.5.1', 'p-1')),
    );
    expect(first).toEqual({
      state: 'pr-open',
      pullRequestUrl: `${github.url}/example/fleet/pull/1`,
    });
    const second = await strategy.promote(
      context(prodPromotion('6.5.2', 'p-2')),
    );
    expect(second).toEqual(first);
    const [pull] = github.pulls();
    expect(pull).toMatchObject({
      state: 'open',
      title: 'Promote flux-system/podinfo 6.5.2 to prod',
    });
    expect(parsePromotionMarker(pull.body)).toMatchObject({ version: '6.5.2' });
    expect(fleet.show(pull.head, FILE)).toBe(
      podinfoRelease('prod', '6.5.2').trimEnd(),
    );

    const pullUrl = (first as { pullRequestUrl: string }).pullRequestUrl;
    await expect(
      strategy.follow(context(prodPromotion('6.5.2', 'p-2')), pullUrl),
    ).resolves.toBe('open');
    github.mergePull(pull.number);
    await expect(
      strategy.follow(context(prodPromotion('6.5.2', 'p-2')), pullUrl),
    ).resolves.toBe('merged');
    expect(fleet.show('main', FILE)).toBe(
      podinfoRelease('prod', '6.5.2').trimEnd(),
    );
    expect(fleet.git('log', '-1', '--format=%s', 'main')).toBe(
      `Merge pull request #1 from example/${pull.head}`,
    );
  });

  it('drives every provider call the strategy makes without breaking the API', async () => {
    fleet.git('branch', 'topic', 'main');
    fleet.commit(
      'main',
      { [FILE]: podinfoRelease('prod', '6.6.0') },
      'on main',
    );
    fleet.commit(
      'topic',
      { [FILE]: podinfoRelease('prod', '6.7.0') },
      'on topic',
    );

    const provider = GithubPullRequestProvider.fromUrl({ url, integrations });
    const input = {
      headBranch: 'topic',
      baseBranch: 'main',
      title: 'Topic',
      body: 'first',
    };
    const created = await provider.create(input);
    const again = await provider.create({ ...input, body: 'second' });
    expect(again).toMatchObject({ number: created.number, body: 'second' });
    await expect(provider.findOpen('topic')).resolves.toMatchObject({
      number: created.number,
    });
    const key = {
      pipelineNamespace: 'flux-system',
      pipelineName: 'podinfo',
      environment: 'prod',
    };
    await expect(provider.listOpenWithMarker(key)).resolves.toEqual([]);
    await provider.close(created.number, 'No longer needed');
    await expect(provider.get(created.number)).resolves.toMatchObject({
      state: 'closed',
    });
    expect(github.pulls()[0].comments.map(c => c.body)).toEqual([
      'No longer needed',
    ]);
    expect(github.requests.map(r => `${r.method} ${r.status}`)).toEqual([
      'POST 201',
      'POST 422',
      'GET 200',
      'PATCH 200',
      'GET 200',
      'GET 200',
      'POST 201',
      'PATCH 200',
      'GET 200',
    ]);
  });
});
