import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GithubStandIn, startGithubStandIn } from '@internal/cluster-sim';
import { Pipeline, Promotion } from '@internal/plugin-flux-pipelines-common';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PullRequestStrategy } from '../../strategies/PullRequestStrategy';
import { PromotionContext } from '../../types';
import { GithubPullRequestProvider } from '../GithubPullRequestProvider';
import { parsePromotionMarker } from '../promotionMarker';

jest.setTimeout(60_000);

const TOKEN = 'cluster-sim-token';
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
const ENV = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
  ),
  GIT_TERMINAL_PROMPT: '0',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd, encoding: 'utf8', env: ENV, stdio: 'pipe' },
  ).trim();

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

/**
 * The backend's real GitHub provider and pull-request strategy against the
 * cluster stand-in's GitHub (what the demo runs): the strategy clones and
 * pushes over the stand-in's git HTTP, opens the pull request through its
 * API, and a merge there lands on the fleet repository's main.
 */
describe('the pull-request promotion against the cluster-sim GitHub stand-in', () => {
  let root: string;
  let fleet: string;
  let github: GithubStandIn;
  let integrations: ScmIntegrations;
  let url: string;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'flux-pipelines-sim-github-'));
    fleet = join(root, 'fleet');
    mkdirSync(join(fleet, 'apps/prod'), { recursive: true });
    git(fleet, 'init', '--quiet', '--initial-branch', 'main');
    git(fleet, 'config', 'receive.denyCurrentBranch', 'updateInstead');
    writeFileSync(join(fleet, 'apps/prod/podinfo.yaml'), MANIFEST('6.5.0'));
    git(fleet, 'add', '.');
    git(fleet, 'commit', '--quiet', '-m', 'seed');
    github = await startGithubStandIn({ repo: fleet, token: TOKEN });
    const { host } = new URL(github.url);
    // The provider looks the repository up as https://<hostname>/<owner>/<repo>
    // (no port), git access by the URL's host:port: one entry for each.
    integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: '127.0.0.1',
              apiBaseUrl: github.githubApiBaseUrl,
              token: TOKEN,
            },
            { host, apiBaseUrl: github.githubApiBaseUrl, token: TOKEN },
          ],
        },
      }),
    );
    url = `${github.url}/example/fleet.git`;
  });

  afterEach(async () => {
    const violations = [...github.violations];
    await github.stop();
    rmSync(root, { recursive: true, force: true });
    if (violations.length) {
      throw new Error(
        `Requests broke the GitHub API:\n${violations.join('\n')}`,
      );
    }
  });

  const context = (p: Promotion): PromotionContext => ({
    pipeline,
    promotion: p,
    spec: { type: 'pull-request', provider: 'github', url, baseBranch: 'main' },
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
  });

  it('promotes by pull request, follows it to merged and finds the version on main', async () => {
    const strategy = new PullRequestStrategy({
      integrations,
      allowedRepositories: [],
      logger: mockServices.logger.mock(),
    });

    const first = await strategy.promote(context(promotion('6.5.1', 'p-1')));
    expect(first).toEqual({
      state: 'pr-open',
      pullRequestUrl: `${github.url}/example/fleet/pull/1`,
    });
    const second = await strategy.promote(context(promotion('6.5.2', 'p-2')));
    expect(second).toEqual(first);
    const [pull] = github.pulls();
    expect(pull).toMatchObject({
      state: 'open',
      title: 'Promote flux-system/podinfo 6.5.2 to prod',
    });
    expect(parsePromotionMarker(pull.body)).toMatchObject({ version: '6.5.2' });
    expect(git(fleet, 'show', `${pull.head}:apps/prod/podinfo.yaml`)).toBe(
      MANIFEST('6.5.2').trimEnd(),
    );

    const pullUrl = (first as { pullRequestUrl: string }).pullRequestUrl;
    await expect(
      strategy.follow(context(promotion('6.5.2', 'p-2')), pullUrl),
    ).resolves.toBe('open');
    github.mergePull(pull.number);
    await expect(
      strategy.follow(context(promotion('6.5.2', 'p-2')), pullUrl),
    ).resolves.toBe('merged');
    expect(git(fleet, 'show', 'main:apps/prod/podinfo.yaml')).toBe(
      MANIFEST('6.5.2').trimEnd(),
    );
    expect(git(fleet, 'log', '-1', '--format=%s', 'main')).toBe(
      `Merge pull request #1 from example/${pull.head}`,
    );
  });

  it('drives every provider call the strategy makes without breaking the API', async () => {
    git(fleet, 'branch', 'topic', 'main');
    writeFileSync(join(fleet, 'apps/prod/podinfo.yaml'), MANIFEST('6.6.0'));
    git(fleet, 'commit', '--quiet', '--all', '-m', 'on main');
    git(fleet, 'checkout', '--quiet', 'topic');
    writeFileSync(join(fleet, 'apps/prod/podinfo.yaml'), MANIFEST('6.7.0'));
    git(fleet, 'commit', '--quiet', '--all', '-m', 'on topic');
    git(fleet, 'checkout', '--quiet', 'main');

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
