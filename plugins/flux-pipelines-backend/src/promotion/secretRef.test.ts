import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterSim,
  GithubStandIn,
  startGithubStandIn,
} from '@internal/cluster-sim';
import { expectNoSecretIn, loggedLines, userGet } from '../__testUtils__/leaks';
import { wgePipeline } from '../__testUtils__/wgePipeline';
import {
  clusterConfig,
  eventually,
  pipelineSources,
  release,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { fluxPipelinesPlugin } from '../plugin';
import { podinfoRelease } from './__testUtils__/fixtures';
import { createTestRemote, TestRemote } from './git/__testUtils__/testRemote';
import { stopStandIn } from './scm/__testUtils__/fakeApi';
import { githubStandInIntegrations } from './scm/__testUtils__/providerHarnesses';
import { promotionBranch } from './scm/promotionBranch';

jest.setTimeout(90_000);

/** The token only the pipeline's Secret holds: no integration has one. */
const TOKEN = 'ghp_Rt83xOnlyInThePipelineSecret';
const CLUSTER = 'dev-cluster';
const FILE = 'apps/test/podinfo.yaml';

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
  let fleet: TestRemote;
  let github: GithubStandIn;
  let sim: ClusterSim;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  const logger = mockServices.logger.mock();
  const responses: string[] = [];

  beforeEach(async () => {
    fleet = createTestRemote(
      { [FILE]: podinfoRelease('test', '6.5.0') },
      { workTree: true },
    );
    github = await startGithubStandIn({
      repo: fleet.path,
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
    await stopStandIn(github, 'the GitHub API').finally(() => fleet.cleanup());
  });

  async function start(pipelines: string[]) {
    backend = await startTestBackend({
      features: [
        fluxPipelinesPlugin,
        logger.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            // The stand-in's host, without a token: only the Secret has one.
            integrations: {
              github: githubStandInIntegrations(github),
            },
            kubernetes: {
              clusterLocatorMethods: [
                { type: 'config', clusters: [clusterConfig(CLUSTER, sim)] },
              ],
            },
            fluxPipelines: {
              pipelineSources: pipelineSources(CLUSTER),
              promotion: {
                followIntervalSeconds: 1,
                // The Pipelines come from the cluster: their repository is
                // listed, and the stand-in speaks http on 127.0.0.1.
                repositories: [
                  {
                    url: `${github.url}/org/fleet`,
                    branches: ['main'],
                    paths: [FILE],
                  },
                ],
                allowInsecureHttp: true,
              },
            },
          },
        }),
      ],
    });
    const get = userGet(backend.server, responses);
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

  const expectNoToken = () =>
    expectNoSecretIn(
      [...responses, ...loggedLines(logger)],
      [
        TOKEN,
        Buffer.from(TOKEN).toString('base64'),
        Buffer.from(`x-access-token:${TOKEN}`).toString('base64'),
      ],
    );

  it('opens the pull request with the token from the Secret on the Pipeline\u2019s cluster', async () => {
    sim.apply([
      secret('github-token', { token: TOKEN }),
      wgePipeline('podinfo', {
        url: `${github.url}/org/fleet`,
        secretRef: 'github-token',
      }),
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
    expect(fleet.show(branch, FILE)).toBe(
      podinfoRelease('test', '6.5.1').trimEnd(),
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
      wgePipeline('missing', {
        url: `${github.url}/org/fleet`,
        secretRef: 'missing-token',
      }),
      wgePipeline('keyless', {
        url: `${github.url}/org/fleet`,
        secretRef: 'no-token',
      }),
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
    expect(loggedLines(logger).join('\n')).toContain(
      `Secret flux-system/no-token on cluster ${CLUSTER} has no 'token' key`,
    );
    expectNoToken();
  });
});
