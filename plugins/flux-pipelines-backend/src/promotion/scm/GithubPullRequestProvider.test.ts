import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { GithubPullRequestProvider } from './GithubPullRequestProvider';
import {
  FakeScmServer,
  startFakeScmServer,
} from './__testUtils__/fakeScmServer';
import {
  CONTRACT_BRANCH,
  PullRequestProviderHarness,
  describePullRequestProviderContract,
} from './__testUtils__/pullRequestProviderContract';

const TOKEN = 'ghp_theRealTokenDoNotLeak';

async function start(token: string) {
  const server = await startFakeScmServer({
    githubToken: token,
    gitlabToken: 'unused',
  });
  server.github.addRepository('org/fleet', ['main']);
  server.github.pushBranch('org/fleet', CONTRACT_BRANCH);
  return server;
}

function provider(
  server: FakeScmServer,
  options: { configToken: string; token?: string; url?: string },
) {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: server.githubApiBaseUrl,
            token: options.configToken,
          },
          { host: 'ghe.example.com', apiBaseUrl: server.githubApiBaseUrl },
        ],
      },
    }),
  );
  return GithubPullRequestProvider.fromUrl({
    url: options.url ?? 'https://github.com/org/fleet',
    integrations,
    token: options.token,
  });
}

const harness: PullRequestProviderHarness = {
  service: 'GitHub',
  start,
  provider,
  pullRequests: server =>
    server.github.pulls('org/fleet').map(p => ({
      state: p.mergedAt ? 'merged' : p.state,
      title: p.title,
      body: p.body,
      comments: p.comments,
    })),
  openPullRequest: (server, pr) => server.github.openPull('org/fleet', pr),
  merge: (server, number) => server.github.merge('org/fleet', number),
  webUrl: number => `https://github.com/org/fleet/pull/${number}`,
  authorization: token => `token ${token}`,
  createRequest: 'POST /repos/org/fleet/pulls',
  createAgainRequests: ['POST 201', 'POST 422', 'GET 200', 'PATCH 200'],
  closeRequests: comment => [
    ['POST', '/repos/org/fleet/issues/1/comments', { body: comment }],
    ['PATCH', '/repos/org/fleet/pulls/1', { state: 'closed' }],
  ],
  listQueries: [
    '?state=open&per_page=100&page=1',
    '?state=open&per_page=100&page=2',
  ],
  missingRepository: {
    url: 'https://github.com/org/missing',
    subject: 'repository org/missing',
  },
  unknownBranchMessage: /Validation Failed/,
};

describe('GithubPullRequestProvider', () => {
  describePullRequestProviderContract(harness, TOKEN);

  describe('specifics', () => {
    let server: FakeScmServer;

    beforeEach(async () => {
      server = await start(TOKEN);
    });

    afterEach(async () => {
      const violations = [...server.violations];
      await server.stop();
      if (violations.length) {
        throw new Error(`Requests broke the API:\n${violations.join('\n')}`);
      }
    });

    it('reads GitHub Enterprise clone URLs', async () => {
      const github = provider(server, {
        configToken: 'unused',
        url: 'git@ghe.example.com:org/fleet.git',
        token: TOKEN,
      });
      await expect(
        github.create({
          headBranch: CONTRACT_BRANCH,
          baseBranch: 'main',
          title: 'Promote',
          body: 'Promote',
        }),
      ).resolves.toMatchObject({ number: 1 });
    });

    it('refuses a repository without an integrations.github entry', () => {
      expect(() =>
        provider(server, {
          configToken: TOKEN,
          url: 'https://elsewhere.example/org/fleet',
        }),
      ).toThrow(InputError);
    });
  });
});
