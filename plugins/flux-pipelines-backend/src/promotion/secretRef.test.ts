import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterSim,
  GithubStandIn,
  startGithubStandIn,
} from '@internal/cluster-sim';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  clusterConfig,
  eventually,
  release,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { fluxPipelinesPlugin } from '../plugin';
import { promotionBranch } from './scm/promotionBranch';

jest.setTimeout(90_000);

/** The token only the pipeline's Secret holds: no integration has one. */
const TOKEN = 'ghp_Rt83xOnlyInThePipelineSecret';
const CLUSTER = 'dev-cluster';
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

const manifest = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: test
spec:
  chart:
    spec:
      chart: podinfo
      version: ${version} # {"$promotion": "flux-system:podinfo:test"}
`;

/** A Weave GitOps Pipeline promoting dev → test by pull request, with a secretRef. */
function wgePipeline(name: string, url: string, secretRef: string) {
  return {
    apiVersion: 'pipelines.weave.works/v1alpha1',
    kind: 'Pipeline',
    metadata: { name, namespace: 'flux-system' },
    spec: {
      appRef: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        name: 'podinfo',
      },
      environments: [
        { name: 'dev', targets: [{ namespace: 'dev' }] },
        { name: 'test', targets: [{ namespace: 'test' }] },
      ],
      promotion: {
        strategy: {
          'pull-request': {
            type: 'github',
            url,
            baseBranch: 'main',
            secretRef: { name: secretRef },
          },
        },
      },
    },
  };
}

function secret(name: string, stringData: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'flux-system' },
    stringData,
  };
}

/**
 * A cluster's Pipeline names a Secret by `secretRef`; the backend reads it
 * from that cluster for each promotion and uses its token for git and the
 * GitHub API, where the integration has none.
 */
describe('promotion with a Pipeline secretRef', () => {
  let root: string;
  let fleet: string;
  let github: GithubStandIn;
  let sim: ClusterSim;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  const logger = mockServices.logger.mock();
  const responses: string[] = [];

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'flux-pipelines-secret-ref-'));
    fleet = join(root, 'fleet');
    mkdirSync(join(fleet, 'apps/test'), { recursive: true });
    git(fleet, 'init', '--quiet', '--initial-branch', 'main');
    git(fleet, 'config', 'receive.denyCurrentBranch', 'updateInstead');
    writeFileSync(join(fleet, 'apps/test/podinfo.yaml'), manifest('6.5.0'));
    git(fleet, 'add', '.');
    git(fleet, 'commit', '--quiet', '-m', 'seed');
    github = await startGithubStandIn({
      repo: fleet,
      token: TOKEN,
      persist: false,
    });
    sim = await startSim({ namespaces: ['dev', 'test'] });
    jest.clearAllMocks();
    responses.length = 0;
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await sim.stop();
    const violations = [...github.violations];
    await github.stop();
    rmSync(root, { recursive: true, force: true });
    if (violations.length) {
      throw new Error(
        `Requests broke the GitHub API:\n${violations.join('\n')}`,
      );
    }
  });

  async function start(pipelines: string[]) {
    const { host } = new URL(github.url);
    backend = await startTestBackend({
      features: [
        fluxPipelinesPlugin,
        logger.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            // The stand-in's host, without a token: only the Secret has one.
            integrations: {
              github: [
                { host: '127.0.0.1', apiBaseUrl: github.githubApiBaseUrl },
                { host, apiBaseUrl: github.githubApiBaseUrl },
              ],
            },
            kubernetes: {
              clusterLocatorMethods: [
                { type: 'config', clusters: [clusterConfig(CLUSTER, sim)] },
              ],
            },
            fluxPipelines: { promotion: { followIntervalSeconds: 1 } },
          },
        }),
      ],
    });
    const get = async (path: string) => {
      const res = await request(backend!.server)
        .get(`/api/flux-pipelines${path}`)
        .set('Authorization', mockCredentials.user.header());
      responses.push(res.text);
      return res;
    };
    await eventually(async () => {
      const res = await get('/pipelines');
      return res.body.items?.length === pipelines.length;
    });
    // dev runs 6.5.1: the pipelines promote it to test on their own.
    await release(sim, 'dev', '6.5.1');
    /** The promotion of 6.5.1 into test, once it left in-progress. */
    const promotion = (pipeline: string) =>
      eventually(async () => {
        const res = await get(
          `/pipelines/flux-system/${pipeline}/promotions?environment=test`,
        );
        const p = res.body.items?.find((x: any) => x.version === '6.5.1');
        return p && !['requested', 'in-progress'].includes(p.state)
          ? p
          : undefined;
      }, 30_000);
    return { get, promotion };
  }

  /** Everything logged, as text. */
  const logged = () =>
    (['debug', 'info', 'warn', 'error'] as const).flatMap(level =>
      logger[level].mock.calls.map(call =>
        call
          .map(arg =>
            arg instanceof Error
              ? `${arg.message} ${arg.stack}`
              : JSON.stringify(arg),
          )
          .join(' '),
      ),
    );
  const expectNoToken = () => {
    const forms = [
      TOKEN,
      Buffer.from(TOKEN).toString('base64'),
      Buffer.from(`x-access-token:${TOKEN}`).toString('base64'),
    ];
    for (const text of [...responses, ...logged()]) {
      for (const form of forms) {
        if (text.includes(form)) {
          throw new Error(`the token leaked in: ${text.slice(0, 300)}`);
        }
      }
    }
  };

  it('opens the pull request with the token from the Secret on the Pipeline\u2019s cluster', async () => {
    sim.apply([
      secret('github-token', { token: TOKEN }),
      wgePipeline('podinfo', `${github.url}/org/fleet`, 'github-token'),
    ]);
    const { promotion } = await start(['podinfo']);

    const promoted = await promotion('podinfo');
    expect(promoted).toMatchObject({ state: 'pr-open' });
    expect(promoted.error).toBeUndefined();
    expect(promoted.pullRequestUrl).toMatch(
      new RegExp(`^${github.url}/org/fleet/pull/\\d+$`),
    );
    const branch = promotionBranch('flux-system', 'podinfo', 'test');
    expect(github.pulls()).toEqual([
      expect.objectContaining({ state: 'open', head: branch, base: 'main' }),
    ]);
    // Pushed over git HTTP, which takes only the Secret's token.
    expect(git(fleet, 'show', `${branch}:apps/test/podinfo.yaml`)).toBe(
      manifest('6.5.1').trimEnd(),
    );
    // Every API call carried the Secret's token.
    expect(github.requests.length).toBeGreaterThan(0);
    for (const r of github.requests) {
      expect(r.headers.authorization).toBe(`token ${TOKEN}`);
      expect(r.status).toBeLessThan(400);
    }
    expectNoToken();
  });

  it('fails the promotion, naming the Secret and the key, when the Secret or its token is missing', async () => {
    sim.apply([
      secret('no-token', { username: 'bot', pat: TOKEN }),
      wgePipeline('missing', `${github.url}/org/fleet`, 'missing-token'),
      wgePipeline('keyless', `${github.url}/org/fleet`, 'no-token'),
    ]);
    const { promotion } = await start(['missing', 'keyless']);

    expect(await promotion('missing')).toMatchObject({
      state: 'failed',
      error: `Secret flux-system/missing-token on cluster ${CLUSTER} was not found`,
    });
    expect(await promotion('keyless')).toMatchObject({
      state: 'failed',
      error: `Secret flux-system/no-token on cluster ${CLUSTER} has no 'token' key`,
    });
    // Nothing was cloned, pushed or asked for without a token.
    expect(github.requests).toEqual([]);
    expect(github.pulls()).toEqual([]);
    expect(logged().join('\n')).toContain(
      `Secret flux-system/no-token on cluster ${CLUSTER} has no 'token' key`,
    );
    expectNoToken();
  });
});
