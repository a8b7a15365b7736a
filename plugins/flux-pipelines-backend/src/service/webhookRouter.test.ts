import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { fluxPipelinesPlugin } from '../plugin';
import {
  signWebhook as sign,
  WEBHOOK_KEYS as KEYS,
  webhookClusters,
} from '../__testUtils__/webhooks';

const config = {
  fluxPipelines: {
    clusters: webhookClusters,
    // Webhook-only clusters: no status to confirm their events with.
    evidence: { eventOnlyClusters: Object.keys(KEYS) },
    pipelines: [
      {
        namespace: 'flux-system',
        name: 'podinfo',
        appRef: { kind: 'HelmRelease', name: 'podinfo' },
        environments: [
          { name: 'dev', targets: [{ namespace: 'dev', cluster: 'main' }] },
          { name: 'prod', targets: [{ namespace: 'prod', cluster: 'edge' }] },
        ],
      },
    ],
  },
};

/** A helm-controller v1 event as notification-controller ≥ 1.5 posts it. */
function upgradeSucceeded(version: string, timestamp = '2026-11-26T09:00:00Z') {
  return {
    involvedObject: {
      kind: 'HelmRelease',
      namespace: 'dev',
      name: 'podinfo',
      uid: '0b9c6a2e-0000-4000-8000-000000000001',
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      resourceVersion: '1234',
    },
    severity: 'info',
    timestamp,
    message: `Helm upgrade succeeded for release dev/podinfo.v4 with chart podinfo@${version}`,
    reason: 'UpgradeSucceeded',
    metadata: { revision: version, 'app-version': version },
    reportingController: 'helm-controller',
    reportingInstance: 'helm-controller-7f9c-abcde',
  };
}

async function startBackend() {
  const logger = mockServices.logger.mock();
  const { server } = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      mockServices.rootConfig.factory({ data: config }),
      logger.factory,
      catalogServiceMock.factory(),
    ],
  });
  const post = (cluster: string, body: string, signature?: string) => {
    const req = request(server)
      .post(`/api/flux-pipelines/webhook/${cluster}`)
      .set('Content-Type', 'application/json')
      .set('Gotk-Component', 'helm-controller');
    return (signature ? req.set('X-Signature', signature) : req).send(body);
  };
  const devTarget = async () => {
    const res = await request(server)
      .get('/api/flux-pipelines/pipelines/flux-system/podinfo')
      .set('Authorization', mockCredentials.user.header());
    return res.body.environments[0].targets[0];
  };
  return { post, devTarget, logger };
}

describe('POST /webhook/:cluster', () => {
  it('records a signed Flux event, which the pipeline then shows as deployed', async () => {
    const { post, devTarget } = await startBackend();
    const body = JSON.stringify(upgradeSucceeded('6.5.1'));
    const res = await post('main', body, sign(body, KEYS.main));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ recorded: 1, duplicates: 0 });

    const target = await devTarget();
    expect(target.deployed).toMatchObject({
      chartVersion: '6.5.1',
      appVersion: '6.5.1',
      status: 'succeeded',
      finishedAt: '2026-11-26T09:00:00.000Z',
    });
  });

  it('records the same webhook replayed 100 times once', async () => {
    const { post } = await startBackend();
    const body = JSON.stringify(upgradeSucceeded('6.5.1'));
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        post('main', body, sign(body, KEYS.main)),
      ),
    );
    expect(results.every(r => r.status === 202)).toBe(true);
    expect(results.reduce((n, r) => n + r.body.recorded, 0)).toBe(1);
  });

  it('refuses a missing, wrong, malformed, weaker or other-cluster signature with 401, storing nothing', async () => {
    const { post, devTarget } = await startBackend();
    const body = JSON.stringify(upgradeSucceeded('6.5.1'));
    const hmac = (algorithm: string) =>
      createHmac(algorithm, KEYS.main).update(body).digest('hex');
    for (const signature of [
      undefined,
      'sha256=00',
      sign(body, 'guess'),
      sign(body, KEYS.edge),
      // The right digest with a trailing nibble, which Buffer.from(hex) drops.
      `${sign(body, KEYS.main)}f`,
      `${sign(body, KEYS.main)}00`,
      `${sign(body, KEYS.main)} trailing`,
      // Right key, but not the algorithm generic-hmac signs with.
      `sha1=${hmac('sha1')}`,
      `sha512=${hmac('sha512')}`,
      `SHA256=${hmac('sha256')}`,
    ]) {
      const res = await post('main', body, signature);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/X-Signature/);
      expect(JSON.stringify(res.body)).not.toContain(KEYS.main);
    }
    expect((await devTarget()).latest).toBeUndefined();
  });

  it('answers 404 for a cluster without a webhook key', async () => {
    const { post } = await startBackend();
    const body = JSON.stringify(upgradeSucceeded('6.5.1'));
    const res = await post('elsewhere', body, sign(body, KEYS.main));
    expect(res.status).toBe(404);
  });

  it('answers 400 with a message for a signed body that is not a Flux event, and logs the object', async () => {
    const { post, logger } = await startBackend();
    for (const body of [
      'not json',
      JSON.stringify({
        involvedObject: {
          kind: 'HelmRelease',
          namespace: 'dev',
          name: 'podinfo',
        },
      }),
    ]) {
      const res = await post('main', body, sign(body, KEYS.main));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('dev/podinfo'),
    );
  });

  it('refuses a body over the size limit with 413', async () => {
    const { post } = await startBackend();
    const event = upgradeSucceeded('6.5.1');
    const body = JSON.stringify({ ...event, message: 'x'.repeat(300 * 1024) });
    const res = await post('main', body, sign(body, KEYS.main));
    expect(res.status).toBe(413);
  });
});
