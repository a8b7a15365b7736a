import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { inspect } from 'node:util';
import { GitlabPullRequestProvider } from './GitlabPullRequestProvider';
import { promotionBranch } from './promotionBranch';
import { promotionMarker } from './promotionMarker';
import {
  FakeScmServer,
  startFakeScmServer,
} from './__testUtils__/fakeScmServer';

const TOKEN = 'glpat-theRealTokenDoNotLeak';
const PROJECT = 'platform/gitops/fleet';
const BRANCH = promotionBranch('flux-system', 'podinfo', 'prod');
const KEY = {
  pipelineNamespace: 'flux-system',
  pipelineName: 'podinfo',
  environment: 'prod',
};

describe('GitlabPullRequestProvider', () => {
  let server: FakeScmServer;

  beforeEach(async () => {
    server = await startFakeScmServer({
      githubToken: 'unused',
      gitlabToken: TOKEN,
    });
    server.gitlab.addProject(PROJECT, ['main']);
    server.gitlab.pushBranch(PROJECT, BRANCH);
  });

  afterEach(async () => {
    const violations = [...server.violations];
    await server.stop();
    if (violations.length) {
      throw new Error(`Requests broke the API:\n${violations.join('\n')}`);
    }
  });

  function provider(
    options: { url?: string; configToken?: string; token?: string } = {},
  ) {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          gitlab: [
            {
              host: 'gitlab.example.com',
              apiBaseUrl: server.gitlabApiBaseUrl,
              baseUrl: 'https://gitlab.example.com',
              token: options.configToken ?? TOKEN,
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

  function body(version: string) {
    return `Promote podinfo to ${version}\n\n${promotionMarker({
      ...KEY,
      version,
    })}`;
  }

  const input = (version: string) => ({
    headBranch: BRANCH,
    baseBranch: 'main',
    title: `Promote podinfo ${version} to prod`,
    body: body(version),
  });

  it('opens a merge request from the pushed branch and then finds it open', async () => {
    const gitlab = provider();
    const created = await gitlab.create(input('6.1.0'));

    expect(created).toEqual({
      url: `https://gitlab.example.com/${PROJECT}/-/merge_requests/1`,
      number: 1,
      state: 'open',
      headBranch: BRANCH,
      baseBranch: 'main',
      title: 'Promote podinfo 6.1.0 to prod',
      body: body('6.1.0'),
    });
    await expect(gitlab.findOpen(BRANCH)).resolves.toEqual(created);
    await expect(gitlab.findOpen('other-branch')).resolves.toBeUndefined();
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/projects/platform%2Fgitops%2Ffleet/merge_requests',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
  });

  it('updates the open merge request instead of opening a second one (409 path)', async () => {
    const gitlab = provider();
    await gitlab.create(input('6.1.0'));
    const again = await gitlab.create(input('6.2.0'));

    const mergeRequests = server.gitlab.mergeRequests(PROJECT);
    expect(mergeRequests).toHaveLength(1);
    expect(mergeRequests[0]).toMatchObject({
      state: 'opened',
      title: 'Promote podinfo 6.2.0 to prod',
      description: body('6.2.0'),
    });
    expect(again).toMatchObject({ number: 1, title: mergeRequests[0].title });
    expect(server.requests.map(r => `${r.method} ${r.status}`)).toEqual([
      'POST 201',
      'POST 409',
      'GET 200',
      'PUT 200',
    ]);
  });

  it('updates the title and description of a merge request by iid', async () => {
    const gitlab = provider();
    const { number } = await gitlab.create(input('6.1.0'));
    const updated = await gitlab.update(number, {
      title: 'Retitled',
      body: body('6.1.1'),
    });
    expect(updated).toMatchObject({ number, title: 'Retitled', state: 'open' });
    expect(server.gitlab.mergeRequests(PROJECT)[0].description).toBe(
      body('6.1.1'),
    );
  });

  it('comments before closing a merge request', async () => {
    const gitlab = provider();
    const { number } = await gitlab.create(input('6.1.0'));
    await gitlab.close(number, 'Superseded by 6.2.0');

    const [mergeRequest] = server.gitlab.mergeRequests(PROJECT);
    expect(mergeRequest).toMatchObject({
      state: 'closed',
      notes: ['Superseded by 6.2.0'],
    });
    const calls = server.requests.slice(1).map(r => [r.method, r.path, r.body]);
    expect(calls).toEqual([
      [
        'POST',
        '/projects/platform%2Fgitops%2Ffleet/merge_requests/1/notes',
        { body: 'Superseded by 6.2.0' },
      ],
      [
        'PUT',
        '/projects/platform%2Fgitops%2Ffleet/merge_requests/1',
        { state_event: 'close' },
      ],
    ]);
    await expect(gitlab.get(number)).resolves.toMatchObject({
      state: 'closed',
    });
    await expect(gitlab.findOpen(BRANCH)).resolves.toBeUndefined();
  });

  it('reports a merge request merged after someone merges it', async () => {
    const gitlab = provider();
    const { number } = await gitlab.create(input('6.1.0'));
    await expect(gitlab.get(number)).resolves.toMatchObject({ state: 'open' });

    server.gitlab.merge(PROJECT, number);

    await expect(gitlab.get(number)).resolves.toMatchObject({
      state: 'merged',
    });
    await expect(gitlab.findOpen(BRANCH)).resolves.toBeUndefined();
  });

  it('lists the open merge requests marked for this pipeline and environment, across pages', async () => {
    for (let i = 0; i < 120; i++) {
      server.gitlab.openMergeRequest(PROJECT, {
        sourceBranch: `feature-${i}`,
        title: `Unrelated ${i}`,
        description: 'Nothing to see',
      });
    }
    const other = (environment: string, pipelineName = 'podinfo') =>
      promotionMarker({ ...KEY, pipelineName, environment, version: '1.0.0' });
    const open = (title: string, description: string) =>
      server.gitlab.openMergeRequest(PROJECT, {
        sourceBranch: title,
        title,
        description,
      });
    open('test-env', other('test'));
    open('other-pipeline', other('prod', 'nginx'));
    const stale = open('stale', other('prod'));
    server.gitlab.merge(PROJECT, open('merged', other('prod')));

    const found = await provider().listOpenWithMarker(KEY);

    expect(found.map(p => [p.number, p.title])).toEqual([[stale, 'stale']]);
    expect(server.requests.map(r => r.query)).toEqual([
      '?state=opened&per_page=100&page=1',
      '?state=opened&per_page=100&page=2',
    ]);
  });

  it('turns a bad token into an AuthenticationError that does not contain it', async () => {
    const badToken = 'glpat-wrongTokenAlsoSecret';
    const error = await provider({ configToken: badToken })
      .create(input('6.1.0'))
      .catch(e => e);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/GitLab rejected the credentials/);
    expect(inspect(error, { depth: 10 })).not.toContain(badToken);
    expect(server.gitlab.mergeRequests(PROJECT)).toEqual([]);
  });

  it('turns an unknown project into a NotFoundError without the token', async () => {
    const error = await provider({
      url: 'https://gitlab.example.com/platform/missing.git',
    })
      .findOpen(BRANCH)
      .catch(e => e);

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('project platform/missing');
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
  });

  it('turns an unknown merge request into a NotFoundError', async () => {
    await expect(provider().get(42)).rejects.toThrow(
      new NotFoundError(
        `GitLab merge request !42 of ${PROJECT} was not found, or the token cannot see it (reading merge request !42 in ${PROJECT})`,
      ),
    );
  });

  it('turns a branch GitLab does not know into an InputError', async () => {
    const error = await provider()
      .create({ ...input('6.1.0'), headBranch: 'never-pushed' })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(
      'Source branch "never-pushed" does not exist',
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
    await expect(gitlab.findOpen(BRANCH)).resolves.toBeUndefined();
    expect(server.requests[0].path).toBe(
      '/projects/platform%2Fgitops%2Ffleet/merge_requests',
    );
  });

  it('prefers a token passed in (a pipeline secretRef) and reads SSH clone URLs', async () => {
    const gitlab = provider({
      url: `git@gitlab.example.com:${PROJECT}.git`,
      configToken: 'glpat-stale',
      token: TOKEN,
    });
    await expect(gitlab.create(input('6.1.0'))).resolves.toMatchObject({
      number: 1,
    });
  });
});
