import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { fluxPipelinesPlugin } from '../plugin';
import {
  signWebhook,
  WEBHOOK_KEYS,
  webhookClusters,
} from '../__testUtils__/webhooks';

const config = {
  fluxPipelines: {
    clusters: webhookClusters,
    // Webhook-only clusters: no status to confirm their events with.
    evidence: { eventOnlyClusters: Object.keys(WEBHOOK_KEYS) },
    pipelines: [
      {
        namespace: 'flux-system',
        name: 'podinfo',
        appRef: { kind: 'HelmRelease', name: 'podinfo' },
        environments: [
          { name: 'dev', targets: [{ namespace: 'dev', cluster: 'main' }] },
          { name: 'test', targets: [{ namespace: 'test', cluster: 'main' }] },
          { name: 'prod', targets: [{ namespace: 'prod', cluster: 'edge' }] },
        ],
      },
    ],
  },
};

const T = (minute: number) =>
  new Date(Date.UTC(2026, 10, 26, 9, minute)).toISOString();

/** A helm-controller event as notification-controller posts it. */
function helmEvent(
  namespace: string,
  version: string,
  outcome: 'succeeded' | 'failed',
  minute: number,
) {
  const failed = outcome === 'failed';
  return {
    involvedObject: {
      kind: 'HelmRelease',
      namespace,
      name: 'podinfo',
      uid: `0b9c6a2e-0000-4000-8000-00000000000${namespace.length}`,
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
    },
    severity: failed ? 'error' : 'info',
    timestamp: T(minute).replace('.000', ''),
    message: failed
      ? `Helm upgrade failed for release ${namespace}/podinfo.v2 with chart podinfo@${version}: timed out waiting for the condition`
      : `Helm upgrade succeeded for release ${namespace}/podinfo.v2 with chart podinfo@${version}`,
    reason: failed ? 'UpgradeFailed' : 'UpgradeSucceeded',
    metadata: { revision: version, 'app-version': version },
    reportingController: 'helm-controller',
  };
}

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory(),
    ],
  });
  const send = async (cluster: string, event: object) => {
    const body = JSON.stringify(event);
    const signature = signWebhook(body, WEBHOOK_KEYS[cluster]);
    const res = await request(server)
      .post(`/api/flux-pipelines/webhook/${cluster}`)
      .set('Content-Type', 'application/json')
      .set('X-Signature', signature)
      .send(body);
    expect(res.status).toBe(202);
  };
  const get = (path: string) =>
    request(server)
      .get(`/api/flux-pipelines/pipelines/flux-system/podinfo${path}`)
      .set('Authorization', mockCredentials.user.header());
  return { send, get, server };
}

/** 6.5.0 went dev → test → prod; 6.6.0 passed dev and failed in test; 6.7.0 is in dev. */
async function startWithHistory() {
  const backend = await startBackend();
  await backend.send('main', helmEvent('dev', '6.5.0', 'succeeded', 0));
  await backend.send('main', helmEvent('test', '6.5.0', 'succeeded', 10));
  await backend.send('edge', helmEvent('prod', '6.5.0', 'succeeded', 30));
  await backend.send('main', helmEvent('dev', '6.6.0', 'succeeded', 40));
  await backend.send('main', helmEvent('test', '6.6.0', 'failed', 45));
  await backend.send('main', helmEvent('dev', '6.7.0', 'succeeded', 50));
  return backend;
}

describe('GET /pipelines/:namespace/:name/executions', () => {
  it('lists each version’s journey newest first, with states and the lead time to prod', async () => {
    const { get } = await startWithHistory();
    const res = await get('/executions');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalCount: 3, limit: 20, offset: 0 });
    expect(
      res.body.items.map((e: any) => [
        e.chartVersion,
        e.status,
        e.environments.map((env: any) => env.state).join(' '),
      ]),
    ).toEqual([
      ['6.7.0', 'waiting', 'succeeded waiting waiting'],
      ['6.6.0', 'failed', 'superseded failed waiting'],
      ['6.5.0', 'succeeded', 'superseded succeeded succeeded'],
    ]);
    expect(res.body.items[2]).toMatchObject({
      startedAt: T(0),
      finishedAt: T(30),
      leadTimeMs: 30 * 60_000,
    });
    expect(res.body.items[1].environments[1].deployments[0].message).toMatch(
      /timed out/,
    );
  });

  it('pages and filters by status, counting all matches', async () => {
    const { get } = await startWithHistory();
    const page = await get('/executions?limit=1&offset=1');
    expect(page.body.items.map((e: any) => e.chartVersion)).toEqual(['6.6.0']);
    expect(page.body.totalCount).toBe(3);
    const failed = await get('/executions?status=failed');
    expect(failed.body).toMatchObject({
      totalCount: 1,
      items: [{ chartVersion: '6.6.0' }],
    });
  });

  it('lists only the deployments behind an insights figure: environment, statuses and period', async () => {
    const { get } = await startWithHistory();
    const inTest = (query: string) =>
      get(`/executions?environment=test&${query}`).then(res =>
        res.body.items.map((e: any) => [
          e.chartVersion,
          e.environments.map((env: any) => env.deployments.length).join(' '),
        ]),
      );
    // The failure at 09:45 in test: only 6.6.0, and only its test deployment narrowed.
    expect(await inTest('deploymentStatus=failed,rolled-back')).toEqual([
      ['6.6.0', '1 1 0'],
    ]);
    expect(
      await inTest(`deploymentStatus=succeeded,superseded&from=${T(0)}`),
    ).toEqual([['6.5.0', '1 1 1']]);
    // The period's end is exclusive; the start inclusive.
    expect(await inTest(`from=${T(10)}&to=${T(45)}`)).toEqual([
      ['6.5.0', '1 1 1'],
    ]);
    expect(await inTest(`from=${T(11)}&to=${T(45)}`)).toEqual([]);
  });

  it('answers 400 with a message for bad query values', async () => {
    const { get } = await startBackend();
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=ten',
      'offset=-1',
      'status=great',
      'deploymentStatus=succeeded,great',
      'from=yesterday',
    ]) {
      const res = await get(`/executions?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Invalid query/);
    }
  });

  it('answers 404 for an unknown pipeline, and 401 without credentials', async () => {
    const { get, server } = await startBackend();
    const res = await request(server)
      .get('/api/flux-pipelines/pipelines/flux-system/nope/executions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    const anonymous = await request(server)
      .get('/api/flux-pipelines/pipelines/flux-system/podinfo/executions')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    expect((await get('/executions')).body).toEqual({
      items: [],
      totalCount: 0,
      limit: 20,
      offset: 0,
    });
  });
});

describe('GET /pipelines/:namespace/:name/environments/:env/events', () => {
  it('returns the environment’s observation timeline, newest first, honouring the limit', async () => {
    const { get } = await startWithHistory();
    const res = await get('/environments/dev/events');
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((o: any) => [o.chartVersion, o.reason, o.time]),
    ).toEqual([
      ['6.7.0', 'UpgradeSucceeded', T(50)],
      ['6.6.0', 'UpgradeSucceeded', T(40)],
      ['6.5.0', 'UpgradeSucceeded', T(0)],
    ]);
    const limited = await get('/environments/dev/events?limit=1');
    expect(limited.body.items).toHaveLength(1);
    expect((await get('/environments/dev/events?limit=0')).status).toBe(400);
  });

  it('answers 404 for an unknown environment or pipeline', async () => {
    const { get, server } = await startBackend();
    expect((await get('/environments/staging/events')).status).toBe(404);
    const res = await request(server)
      .get(
        '/api/flux-pipelines/pipelines/flux-system/nope/environments/dev/events',
      )
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
  });
});

describe('GET /pipelines/:namespace/:name promotable', () => {
  it('offers per environment the newest version that succeeded in the previous one', async () => {
    const { get } = await startWithHistory();
    const res = await get('');
    expect(
      res.body.environments.map((e: any) => [e.name, e.promotable]),
    ).toEqual([
      ['dev', undefined],
      ['test', { version: '6.7.0', appVersion: '6.7.0' }],
      ['prod', undefined],
    ]);
  });
});
