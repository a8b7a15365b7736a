import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSim } from '@internal/cluster-sim';
import request from 'supertest';
import { linkedEntity } from '../__testUtils__/catalogEntities';
import { startCredentialTrap } from '../__testUtils__/credentialTrap';
import { expectNoSecretIn, loggedLines, userGet } from '../__testUtils__/leaks';
import { signWebhook } from '../__testUtils__/webhooks';
import { wgePipeline } from '../__testUtils__/wgePipeline';
import {
  clusterConfig,
  eventually,
  pipelineSources,
  release,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { fluxPipelinesPlugin } from '../plugin';
import { helmHistory } from './__testUtils__/faultHelpers';
import { expectPagesExact } from '../readmodel/__testUtils__/expectPagesExact';

jest.setTimeout(60_000);

/** Every secret the backend is given; none may ever leave it. */
const SECRETS = {
  clusterToken: 'cluster-token-Zq81xMain',
  brokenClusterToken: 'cluster-token-Yw72xBroken',
  webhookKey: 'webhook-hmac-Xv63xMain',
  gitToken: 'ghp_Wu54xGitTokenSecret',
};
/** The forms a secret travels in: as is, URL-encoded, inside HTTP Basic. */
function secretForms(): string[] {
  const all = Object.values(SECRETS);
  return [
    ...all,
    ...all.map(s => encodeURIComponent(s)),
    Buffer.from(`x-access-token:${SECRETS.gitToken}`).toString('base64'),
  ];
}

describe('faults: security', () => {
  let sim: ClusterSim | undefined;
  let stopBackend: (() => Promise<void>) | undefined;
  const traps: Array<Awaited<ReturnType<typeof startCredentialTrap>>> = [];

  afterEach(async () => {
    await stopBackend?.();
    await sim?.stop();
    await Promise.all(traps.splice(0).map(t => t.stop()));
    stopBackend = undefined;
    sim = undefined;
  });

  it('a Pipeline object cannot make the backend call hosts beyond those configured, and no secret leaves it in logs, responses or errors', async () => {
    // Only `ghe` is configured (as a GitHub integration); `evil` and the
    // "rogue" cluster are named only by Pipeline objects on the cluster.
    const evil = await startCredentialTrap();
    const ghe = await startCredentialTrap();
    const brokenApi = await startCredentialTrap();
    traps.push(evil, ghe, brokenApi);
    sim = await startSim({
      namespaces: ['dev', 'test'],
      token: SECRETS.clusterToken,
      objects: undefined,
    });
    sim.apply([
      wgePipeline('evil', { url: `${evil.url}/org/fleet` }),
      wgePipeline('ghe', { url: `${ghe.url}/org/fleet` }),
      wgePipeline('rogue', { prodClusterRef: 'rogue' }),
    ]);

    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        fluxPipelinesPlugin,
        logger.factory,
        catalogServiceMock.factory({
          entities: [
            linkedEntity('evil'),
            linkedEntity('ghe'),
            linkedEntity('rogue'),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: `127.0.0.1:${ghe.port}`,
                  apiBaseUrl: `${ghe.url}/api/v3`,
                  token: SECRETS.gitToken,
                },
              ],
            },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    clusterConfig('main', sim),
                    clusterConfig('broken', {
                      url: brokenApi.url,
                      token: SECRETS.brokenClusterToken,
                    }),
                  ],
                },
              ],
            },
            fluxPipelines: {
              clusters: [{ name: 'main', webhookHmacKey: SECRETS.webhookKey }],
              pipelineSources: pipelineSources('main'),
              promotion: {
                followIntervalSeconds: 1,
                // ghe's repository is listed for cluster pipelines (its
                // stand-in speaks http on 127.0.0.1); evil's is not.
                repositories: [
                  {
                    url: `${ghe.url}/org/fleet`,
                    branches: ['main'],
                    paths: ['**'],
                  },
                ],
                allowInsecureHttp: true,
              },
            },
          },
        }),
      ],
    });
    stopBackend = async () => {
      try {
        await expectPagesExact(backend.server); // the read model kept up
      } finally {
        await backend.stop();
      }
    };
    const { server } = backend;
    const responses: string[] = [];
    const get = userGet(server, responses);

    // The pipelines from the cluster are read, and dev runs 6.5.1.
    await eventually(async () => {
      const res = await get('/pipelines');
      return res.body.items?.length === 3;
    });
    await release(sim, 'dev', '6.5.1');
    await eventually(async () => {
      const h = helmHistory(sim!, 'dev')[0];
      return h.chartVersion === '6.5.1' && h.status === 'deployed';
    });
    const promotable = async (pipeline: string) => {
      const res = await get(`/pipelines/flux-system/${pipeline}`);
      const test = res.body.environments?.find((e: any) => e.name === 'test');
      return test?.promotable?.version === '6.5.1';
    };
    await eventually(() => promotable('evil'));
    await eventually(() => promotable('ghe'));

    // Promote through each pull-request URL.
    const promote = async (pipeline: string) => {
      const res = await request(server)
        .post(
          `/api/flux-pipelines/pipelines/flux-system/${pipeline}/promotions`,
        )
        .set('Authorization', mockCredentials.user.header())
        .send({
          environment: 'test',
          version: '6.5.1',
          entityRef: `component:default/${pipeline}`,
        });
      responses.push(res.text);
      return res;
    };
    /**
     * The promotion into test failed: the one requested, or the automatic
     * one the pipeline may have started first (then the request is refused
     * as a second promotion of the environment).
     */
    const settled = async (pipeline: string, res: request.Response) => {
      expect([200, 201, 409]).toContain(res.status);
      return eventually(async () => {
        const list = await get(`/pipelines/flux-system/${pipeline}/promotions`);
        const p = list.body.items?.find(
          (x: any) => x.environment === 'test' && x.version === '6.5.1',
        );
        return p?.state === 'failed' ? p : undefined;
      }, 30_000);
    };
    // A repository that app-config does not list is refused on request,
    // naming the rule (and the automatic promotion never started).
    const toEvil = await promote('evil');
    expect(toEvil.status).toBe(403);
    expect(toEvil.body.error.message).toContain(
      `refused by fluxPipelines.promotion.repositories: ${evil.url}/org/fleet is not listed`,
    );
    // The configured host is used, and its refusal is reported.
    const toGhe = await settled('ghe', await promote('ghe'));
    expect(toGhe.error).toEqual(expect.any(String));

    // The host named only by the Pipeline was never contacted; the
    // configured one was (and answered with the credentials it got).
    expect(evil.requests).toEqual([]);
    expect(ghe.requests.length).toBeGreaterThan(0);
    // (with the integration's token, which it echoed back)
    expect(ghe.requests[0].authorization).toBe(
      `Basic ${Buffer.from(`x-access-token:${SECRETS.gitToken}`).toString(
        'base64',
      )}`,
    );

    // A target on a cluster nobody configured: listed, but never watched.
    const rogue = await get('/pipelines/flux-system/rogue');
    const prod = rogue.body.environments.find((e: any) => e.name === 'prod');
    expect(prod.targets[0]).toMatchObject({ cluster: 'rogue' });
    expect(prod.targets[0].deployed).toBeUndefined();
    const health = await eventually(async () => {
      const res = await get('/health');
      const broken = res.body.clusters?.find((c: any) => c.name === 'broken');
      return broken?.lastError ? res.body : undefined;
    });
    expect(health.clusters.map((c: any) => c.name).sort()).toEqual([
      'broken',
      'main',
    ]);
    // The broken API server echoed the token it was sent: the health must
    // not repeat it.
    expect(brokenApi.requests[0].authorization).toBe(
      `Bearer ${SECRETS.brokenClusterToken}`,
    );

    // Webhooks with a wrong signature, or signed with the key of another
    // cluster, are refused without revealing the key.
    const body = JSON.stringify({ reason: 'x' });
    for (const signature of [
      undefined,
      'sha256=00',
      signWebhook(body, 'another-clusters-key'),
    ]) {
      const req = request(server)
        .post('/api/flux-pipelines/webhook/main')
        .set('Content-Type', 'application/json');
      const res = await (signature
        ? req.set('X-Signature', signature)
        : req
      ).send(body);
      expect(res.status).toBe(401);
      responses.push(res.text);
    }
    const signed = await request(server)
      .post('/api/flux-pipelines/webhook/main')
      .set('Content-Type', 'application/json')
      .set('X-Signature', signWebhook(body, SECRETS.webhookKey))
      .send(body);
    expect(signed.status).toBe(400);
    responses.push(signed.text);
    for (const path of [
      '/pipelines',
      '/pipelines/flux-system/evil/executions',
      '/pipelines/flux-system/ghe/promotions',
      '/pipelines/flux-system/evil/environments/dev/events',
    ]) {
      responses.push((await get(path)).text);
    }

    // No secret in any response, nor in anything logged.
    const logged = loggedLines(logger);
    expect(logged.length).toBeGreaterThan(0);
    expectNoSecretIn([...responses, ...logged], secretForms());
  });
});
