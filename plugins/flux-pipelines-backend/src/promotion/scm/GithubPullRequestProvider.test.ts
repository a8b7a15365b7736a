import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { inspect } from 'node:util';
import { GithubPullRequestProvider } from './GithubPullRequestProvider';
import { promotionBranch } from './promotionBranch';
import { promotionMarker } from './promotionMarker';
import {
  FakeScmServer,
  startFakeScmServer,
} from './__testUtils__/fakeScmServer';

const TOKEN = 'ghp_theRealTokenDoNotLeak';
const BRANCH = promotionBranch('flux-system', 'podinfo', 'prod');
const KEY = {
  pipelineNamespace: 'flux-system',
  pipelineName: 'podinfo',
  environment: 'prod',
};

describe('GithubPullRequestProvider', () => {
  let server: FakeScmServer;

  beforeEach(async () => {
    server = await startFakeScmServer({
      githubToken: TOKEN,
      gitlabToken: 'unused',
    });
    server.github.addRepository('org/fleet', ['main']);
    server.github.pushBranch('org/fleet', BRANCH);
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
          github: [
            {
              host: 'github.com',
              apiBaseUrl: server.githubApiBaseUrl,
              token: options.configToken ?? TOKEN,
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

  it('opens a pull request from the pushed branch and then finds it open', async () => {
    const github = provider();
    const created = await github.create(input('6.1.0'));

    expect(created).toEqual({
      url: 'https://github.com/org/fleet/pull/1',
      number: 1,
      state: 'open',
      headBranch: BRANCH,
      baseBranch: 'main',
      title: 'Promote podinfo 6.1.0 to prod',
      body: body('6.1.0'),
    });
    await expect(github.findOpen(BRANCH)).resolves.toEqual(created);
    await expect(github.findOpen('other-branch')).resolves.toBeUndefined();
    const auth = server.requests.map(r => r.headers.authorization);
    expect(new Set(auth)).toEqual(new Set([`token ${TOKEN}`]));
  });

  it('updates the open pull request instead of opening a second one (422 path)', async () => {
    const github = provider();
    await github.create(input('6.1.0'));
    const again = await github.create(input('6.2.0'));

    const pulls = server.github.pulls('org/fleet');
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      state: 'open',
      title: 'Promote podinfo 6.2.0 to prod',
      body: body('6.2.0'),
    });
    expect(again).toMatchObject({ number: 1, title: pulls[0].title });
    expect(server.requests.map(r => `${r.method} ${r.status}`)).toEqual([
      'POST 201',
      'POST 422',
      'GET 200',
      'PATCH 200',
    ]);
  });

  it('updates the title and body of a pull request by number', async () => {
    const github = provider();
    const { number } = await github.create(input('6.1.0'));
    const updated = await github.update(number, {
      title: 'Retitled',
      body: body('6.1.1'),
    });
    expect(updated).toMatchObject({ number, title: 'Retitled', state: 'open' });
    expect(server.github.pulls('org/fleet')[0].body).toBe(body('6.1.1'));
  });

  it('comments before closing a pull request', async () => {
    const github = provider();
    const { number } = await github.create(input('6.1.0'));
    await github.close(number, 'Superseded by 6.2.0');

    const [pull] = server.github.pulls('org/fleet');
    expect(pull).toMatchObject({
      state: 'closed',
      comments: ['Superseded by 6.2.0'],
    });
    const calls = server.requests.slice(1).map(r => [r.method, r.path, r.body]);
    expect(calls).toEqual([
      [
        'POST',
        '/repos/org/fleet/issues/1/comments',
        { body: 'Superseded by 6.2.0' },
      ],
      ['PATCH', '/repos/org/fleet/pulls/1', { state: 'closed' }],
    ]);
    await expect(github.get(number)).resolves.toMatchObject({
      state: 'closed',
    });
    await expect(github.findOpen(BRANCH)).resolves.toBeUndefined();
  });

  it('reports a pull request merged after someone merges it', async () => {
    const github = provider();
    const { number } = await github.create(input('6.1.0'));
    await expect(github.get(number)).resolves.toMatchObject({ state: 'open' });

    server.github.merge('org/fleet', number);

    await expect(github.get(number)).resolves.toMatchObject({
      state: 'merged',
    });
    await expect(github.findOpen(BRANCH)).resolves.toBeUndefined();
  });

  it('lists the open pull requests marked for this pipeline and environment, across pages', async () => {
    for (let i = 0; i < 120; i++) {
      server.github.openPull('org/fleet', {
        head: `feature-${i}`,
        title: `Unrelated ${i}`,
        body: 'Nothing to see',
      });
    }
    const other = (environment: string, pipelineName = 'podinfo') =>
      promotionMarker({ ...KEY, pipelineName, environment, version: '1.0.0' });
    server.github.openPull('org/fleet', {
      head: 'a',
      title: 'test env',
      body: other('test'),
    });
    server.github.openPull('org/fleet', {
      head: 'b',
      title: 'other pipeline',
      body: other('prod', 'nginx'),
    });
    const stale = server.github.openPull('org/fleet', {
      head: 'c',
      title: 'stale',
      body: other('prod'),
    });
    const merged = server.github.openPull('org/fleet', {
      head: 'd',
      title: 'merged',
      body: other('prod'),
    });
    server.github.merge('org/fleet', merged);

    const found = await provider().listOpenWithMarker(KEY);

    expect(found.map(p => [p.number, p.title])).toEqual([[stale, 'stale']]);
    expect(server.requests.map(r => r.query)).toEqual([
      '?state=open&per_page=100&page=1',
      '?state=open&per_page=100&page=2',
    ]);
  });

  it('turns a bad token into an AuthenticationError that does not contain it', async () => {
    const badToken = 'ghp_wrongTokenAlsoSecret';
    const error = await provider({ configToken: badToken })
      .create(input('6.1.0'))
      .catch(e => e);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/GitHub rejected the credentials/);
    expect(inspect(error, { depth: 10 })).not.toContain(badToken);
    expect(server.github.pulls('org/fleet')).toEqual([]);
  });

  it('turns an unknown repository into a NotFoundError without the token', async () => {
    const error = await provider({ url: 'https://github.com/org/missing' })
      .findOpen(BRANCH)
      .catch(e => e);

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('repository org/missing');
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
  });

  it('turns a branch GitHub does not know into an InputError', async () => {
    const error = await provider()
      .create({ ...input('6.1.0'), headBranch: 'never-pushed' })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/Validation Failed/);
  });

  it('prefers a token passed in (a pipeline secretRef) and reads GitHub Enterprise clone URLs', async () => {
    const github = provider({
      url: 'git@ghe.example.com:org/fleet.git',
      token: TOKEN,
    });
    await expect(github.create(input('6.1.0'))).resolves.toMatchObject({
      number: 1,
    });
  });

  it('refuses a repository without an integrations.github entry', () => {
    expect(() =>
      provider({ url: 'https://elsewhere.example/org/fleet' }),
    ).toThrow(InputError);
  });
});
