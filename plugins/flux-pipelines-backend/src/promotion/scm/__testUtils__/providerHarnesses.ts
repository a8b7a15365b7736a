import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import type { GithubStandIn } from '@internal/cluster-sim';
import { BitbucketServerPullRequestProvider } from '../BitbucketServerPullRequestProvider';
import { GithubPullRequestProvider } from '../GithubPullRequestProvider';
import { GitlabPullRequestProvider } from '../GitlabPullRequestProvider';
import { FakeScmServer, startFakeScmServer } from './fakeScmServer';
import { PullRequestProviderHarness } from './pullRequestProviderContract';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

/** Integrations read from an app-config `integrations` block. */
export const integrationsFrom = (integrations: JsonObject) =>
  ScmIntegrations.fromConfig(new ConfigReader({ integrations }));

/**
 * `integrations.github` entries for the cluster-sim GitHub stand-in, with
 * `token` if given: the provider looks the repository up as
 * https://<hostname>/<owner>/<repo> (no port), git access by the URL's
 * host:port, so one entry for each.
 */
export function githubStandInIntegrations(
  github: GithubStandIn,
  token?: string,
) {
  const { host } = new URL(github.url);
  return ['127.0.0.1', host].map(h => ({
    host: h,
    apiBaseUrl: github.githubApiBaseUrl,
    ...(token ? { token } : {}),
  }));
}

/** The fake GitHub's repository. */
export const GITHUB_REPO = 'org/fleet';

/** The GitHub provider against the fake GitHub (`github.com` and a GHE host). */
export const githubHarness: PullRequestProviderHarness = {
  service: 'GitHub',
  spec: { provider: 'github', url: `https://github.com/${GITHUB_REPO}` },
  start: async token => {
    const server = await startFakeScmServer({ githubToken: token });
    server.github.addRepository(GITHUB_REPO, ['main']);
    return server;
  },
  pushBranch: (server, branch) => server.github.pushBranch(GITHUB_REPO, branch),
  provider: (server, options) =>
    GithubPullRequestProvider.fromUrl({
      url: options.url ?? githubHarness.spec.url,
      integrations: integrationsFrom({
        github: [
          {
            host: 'github.com',
            apiBaseUrl: server.githubApiBaseUrl,
            token: options.configToken,
          },
          { host: 'ghe.example.com', apiBaseUrl: server.githubApiBaseUrl },
        ],
      }),
      token: options.token,
    }),
  pullRequests: server =>
    server.github.pulls(GITHUB_REPO).map(p => ({
      state: p.mergedAt ? 'merged' : p.state,
      head: p.head,
      base: p.base,
      title: p.title,
      body: p.body,
      comments: p.comments,
    })),
  openPullRequest: (server, pr) => server.github.openPull(GITHUB_REPO, pr),
  merge: (server, number) => server.github.merge(GITHUB_REPO, number),
  webUrl: number => `https://github.com/${GITHUB_REPO}/pull/${number}`,
  authorization: token => `token ${token}`,
  createRequest: `POST /repos/${GITHUB_REPO}/pulls`,
  createAgainRequests: ['POST 201', 'POST 422', 'GET 200', 'PATCH 200'],
  closeRequests: comment => [
    ['POST', `/repos/${GITHUB_REPO}/issues/1/comments`, { body: comment }],
    ['PATCH', `/repos/${GITHUB_REPO}/pulls/1`, { state: 'closed' }],
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

/** The fake GitLab's project, and its merge requests' API path. */
export const GITLAB_PROJECT = 'platform/gitops/fleet';
export const GITLAB_API = '/projects/platform%2Fgitops%2Ffleet/merge_requests';

/** The GitLab provider against the fake GitLab at `gitlab.example.com`. */
export const gitlabHarness: PullRequestProviderHarness = {
  service: 'GitLab',
  spec: {
    provider: 'gitlab',
    url: `https://gitlab.example.com/${GITLAB_PROJECT}`,
  },
  start: async token => {
    const server = await startFakeScmServer({ gitlabToken: token });
    server.gitlab.addProject(GITLAB_PROJECT, ['main']);
    return server;
  },
  pushBranch: (server, branch) =>
    server.gitlab.pushBranch(GITLAB_PROJECT, branch),
  provider: (server, options) =>
    GitlabPullRequestProvider.fromUrl({
      url: options.url ?? gitlabHarness.spec.url,
      integrations: integrationsFrom({
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: server.gitlabApiBaseUrl,
            baseUrl: 'https://gitlab.example.com',
            token: options.configToken,
          },
        ],
      }),
      token: options.token,
    }),
  pullRequests: server =>
    server.gitlab.mergeRequests(GITLAB_PROJECT).map(mr => ({
      state: mr.state === 'opened' ? 'open' : mr.state,
      head: mr.sourceBranch,
      base: mr.targetBranch,
      title: mr.title,
      body: mr.description,
      comments: mr.notes,
    })),
  openPullRequest: (server, pr) =>
    server.gitlab.openMergeRequest(GITLAB_PROJECT, pr),
  merge: (server, number) => server.gitlab.merge(GITLAB_PROJECT, number),
  webUrl: number =>
    `https://gitlab.example.com/${GITLAB_PROJECT}/-/merge_requests/${number}`,
  authorization: token => `Bearer ${token}`,
  createRequest: `POST ${GITLAB_API}`,
  createAgainRequests: ['POST 201', 'POST 409', 'GET 200', 'PUT 200'],
  closeRequests: comment => [
    ['POST', `${GITLAB_API}/1/notes`, { body: comment }],
    ['PUT', `${GITLAB_API}/1`, { state_event: 'close' }],
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

/** The fake Bitbucket Server's repository, its pull requests' API path, and its web origin. */
export const BITBUCKET_REPO = 'PLAT/fleet';
export const BITBUCKET_API = '/projects/PLAT/repos/fleet/pull-requests';
export const BITBUCKET_WEB = 'https://bitbucket.example.com';
/** Basic credentials the fake Bitbucket Server accepts besides the token. */
export const BITBUCKET_USER = { username: 'ci-bot', password: 'pa55-Secret' };

/** Integrations with one `bitbucketServer` entry for the fake, with these credentials. */
export function bitbucketServerIntegrations(
  server: FakeScmServer,
  credentials: { token?: string; username?: string; password?: string },
) {
  return integrationsFrom({
    bitbucketServer: [
      {
        host: 'bitbucket.example.com',
        apiBaseUrl: server.bitbucketServerApiBaseUrl,
        ...credentials,
      },
    ],
  });
}

/** The Bitbucket Server provider against the fake Bitbucket Server (token or {@link BITBUCKET_USER}). */
export const bitbucketServerHarness: PullRequestProviderHarness = {
  service: 'Bitbucket Server',
  spec: {
    provider: 'bitbucket-server',
    url: `${BITBUCKET_WEB}/scm/plat/fleet.git`,
  },
  start: async token => {
    const server = await startFakeScmServer({
      bitbucketServerToken: token,
      bitbucketServerUser: BITBUCKET_USER,
    });
    server.bitbucketServer.addRepository(BITBUCKET_REPO, ['main']);
    return server;
  },
  pushBranch: (server, branch) =>
    server.bitbucketServer.pushBranch(BITBUCKET_REPO, branch),
  provider: (server, options) =>
    BitbucketServerPullRequestProvider.fromUrl({
      url: options.url ?? bitbucketServerHarness.spec.url,
      integrations: bitbucketServerIntegrations(server, {
        token: options.configToken,
      }),
      token: options.token,
    }),
  pullRequests: server =>
    server.bitbucketServer.pullRequests(BITBUCKET_REPO).map(pr => ({
      state: ({ OPEN: 'open', DECLINED: 'closed', MERGED: 'merged' } as const)[
        pr.state
      ],
      head: pr.fromBranch,
      base: pr.toBranch,
      title: pr.title,
      body: pr.description,
      comments: pr.comments,
    })),
  openPullRequest: (server, pr) =>
    server.bitbucketServer.openPullRequest(BITBUCKET_REPO, pr),
  merge: (server, number) =>
    server.bitbucketServer.merge(BITBUCKET_REPO, number),
  webUrl: number =>
    `${BITBUCKET_WEB}/projects/PLAT/repos/fleet/pull-requests/${number}`,
  authorization: token => `Bearer ${token}`,
  createRequest: `POST ${BITBUCKET_API}`,
  createAgainRequests: [
    'POST 201',
    'POST 409', // DuplicatePullRequestException
    'GET 200', // the open one from the branch
    'GET 200', // its version
    'PUT 200',
  ],
  closeRequests: comment => [
    ['POST', `${BITBUCKET_API}/1/comments`, { text: comment }],
    ['GET', `${BITBUCKET_API}/1`, undefined],
    ['POST', `${BITBUCKET_API}/1/decline`, undefined],
  ],
  listQueries: ['?state=OPEN&limit=100', '?state=OPEN&limit=100&start=100'],
  missingRepository: {
    url: `${BITBUCKET_WEB}/projects/PLAT/repos/missing/browse`,
    subject: 'repository PLAT/missing',
  },
  unknownBranchMessage: 'has no branch "refs/heads/never-pushed"',
};

/** Every provider's harness, for suites that run once per provider. */
export const providerHarnesses = [
  githubHarness,
  gitlabHarness,
  bitbucketServerHarness,
];
