import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { GitlabPullRequestProvider } from './GitlabPullRequestProvider';
import {
  FakeScmServer,
  startFakeScmServer,
} from './__testUtils__/fakeScmServer';
import {
  CONTRACT_BRANCH,
  PullRequestProviderHarness,
  describePullRequestProviderContract,
} from './__testUtils__/pullRequestProviderContract';

const TOKEN = 'glpat-theRealTokenDoNotLeak';
const PROJECT = 'platform/gitops/fleet';
const API = '/projects/platform%2Fgitops%2Ffleet/merge_requests';

async function start(token: string) {
  const server = await startFakeScmServer({
    githubToken: 'unused',
    gitlabToken: token,
  });
  server.gitlab.addProject(PROJECT, ['main']);
  server.gitlab.pushBranch(PROJECT, CONTRACT_BRANCH);
  return server;
}

function provider(
  server: FakeScmServer,
  options: { configToken: string; token?: string; url?: string },
) {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: server.gitlabApiBaseUrl,
            baseUrl: 'https://gitlab.example.com',
            token: options.configToken,
          },
        ],
      },
    }),
  );
  return GitlabPullRequestProvider.fromUrl({
    url: options.url ?? `https://gitlab.example.com/${PROJECT}`,
    integrations,
    token: options.token,
  });
}

const harness: PullRequestProviderHarness = {
  service: 'GitLab',
  start,
  provider,
  pullRequests: server =>
    server.gitlab.mergeRequests(PROJECT).map(mr => ({
      state: mr.state === 'opened' ? 'open' : mr.state,
      title: mr.title,
      body: mr.description,
      comments: mr.notes,
    })),
  openPullRequest: (server, pr) =>
    server.gitlab.openMergeRequest(PROJECT, {
      sourceBranch: pr.head,
      title: pr.title,
      description: pr.body,
    }),
  merge: (server, number) => server.gitlab.merge(PROJECT, number),
  webUrl: number =>
    `https://gitlab.example.com/${PROJECT}/-/merge_requests/${number}`,
  authorization: token => `Bearer ${token}`,
  createRequest: `POST ${API}`,
  createAgainRequests: ['POST 201', 'POST 409', 'GET 200', 'PUT 200'],
  closeRequests: comment => [
    ['POST', `${API}/1/notes`, { body: comment }],
    ['PUT', `${API}/1`, { state_event: 'close' }],
  ],
  listQueries: [
    '?state=opened&per_page=100&page=1',
    '?state=opened&per_page=100&page=2',
  ],
  missingRepository: {
    url: 'https://gitlab.example.com/platform/missing.git',
    subject: 'project platform/missing',
  },
  unknownBranchMessage: 'Source branch "never-pushed" does not exist',
};

describe('GitlabPullRequestProvider', () => {
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

    it('turns an unknown merge request into a NotFoundError naming it', async () => {
      await expect(
        provider(server, { configToken: TOKEN }).get(42),
      ).rejects.toThrow(
        new NotFoundError(
          `GitLab merge request !42 of ${PROJECT} was not found, or the token cannot see it (reading merge request !42 in ${PROJECT})`,
        ),
      );
    });

    it('finds the project under a GitLab served from a sub-path', async () => {
      const integrations = ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: 'code.example.com',
                apiBaseUrl: server.gitlabApiBaseUrl,
                baseUrl: 'https://code.example.com/gitlab',
                token: TOKEN,
              },
            ],
          },
        }),
      );
      const gitlab = GitlabPullRequestProvider.fromUrl({
        url: `https://code.example.com/gitlab/${PROJECT}/-/tree/main`,
        integrations,
      });
      await expect(gitlab.findOpen(CONTRACT_BRANCH)).resolves.toBeUndefined();
      expect(server.requests[0].path).toBe(API);
    });

    it('reads SSH clone URLs', async () => {
      const gitlab = provider(server, {
        url: `git@gitlab.example.com:${PROJECT}.git`,
        configToken: TOKEN,
      });
      await expect(
        gitlab.create({
          headBranch: CONTRACT_BRANCH,
          baseBranch: 'main',
          title: 'Promote',
          body: 'Promote',
        }),
      ).resolves.toMatchObject({ number: 1 });
    });
  });
});
