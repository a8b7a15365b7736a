import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  signWebhook,
  WEBHOOK_KEYS,
  webhookClusters,
} from '../__testUtils__/webhooks';
import { fluxPipelinesPlugin } from '../plugin';
import { expectPagesExact } from '../readmodel/__testUtils__/expectPagesExact';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** helm-controller's UpgradeSucceeded as notification-controller ≥ 1.5 posts it. */
const event = {
  involvedObject: {
    kind: 'HelmRelease',
    namespace: 'dev',
    name: 'podinfo',
    uid: '0b9c6a2e-0000-4000-8000-0000000000aa',
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    resourceVersion: '4321',
  },
  severity: 'info',
  timestamp: '2026-11-26T09:30:00Z',
  message:
    'Helm upgrade succeeded for release dev/podinfo.v7 with chart podinfo@6.7.0',
  reason: 'UpgradeSucceeded',
  metadata: { revision: '6.7.0', 'app-version': '6.7.0' },
  reportingController: 'helm-controller',
  reportingInstance: 'helm-controller-7f9c-abcde',
};

/**
 * Extends src/service/webhookRouter.test.ts ("records the same webhook
 * replayed 100 times once", which counts the responses) down to the
 * database and the signals: one observation row, one deployment row, one
 * "deployments changed" signal, on SQLite and PostgreSQL.
 */
describe('faults: the same webhook replayed', () => {
  it.each(databases.eachSupportedId())(
    '(6) 100 concurrent replays of one signed webhook: one observation, one deployment change, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const publish = jest.fn(async () => undefined);
      const backend = await startTestBackend({
        features: [
          fluxPipelinesPlugin,
          catalogServiceMock.factory(),
          mockServices.database.factory({ knex }),
          createServiceFactory({
            service: signalsServiceRef,
            deps: {},
            factory: () => ({ publish }),
          }),
          mockServices.rootConfig.factory({
            data: {
              fluxPipelines: {
                clusters: webhookClusters,
                // Webhook-only clusters: their events are the only evidence.
                evidence: { eventOnlyClusters: Object.keys(WEBHOOK_KEYS) },
                pipelines: [
                  {
                    namespace: 'flux-system',
                    name: 'podinfo',
                    appRef: { kind: 'HelmRelease', name: 'podinfo' },
                    environments: [
                      {
                        name: 'dev',
                        targets: [{ namespace: 'dev', cluster: 'main' }],
                      },
                    ],
                  },
                ],
              },
            },
          }),
        ],
      });
      try {
        const body = JSON.stringify(event);
        const signature = signWebhook(body, WEBHOOK_KEYS.main);
        const results = await Promise.all(
          Array.from({ length: 100 }, () =>
            request(backend.server)
              .post('/api/flux-pipelines/webhook/main')
              .set('Content-Type', 'application/json')
              .set('Gotk-Component', 'helm-controller')
              .set('X-Signature', signature)
              .send(body),
          ),
        );
        expect(results.map(r => r.status)).toEqual(Array(100).fill(202));
        expect(results.reduce((n, r) => n + r.body.recorded, 0)).toBe(1);
        expect(results.reduce((n, r) => n + r.body.duplicates, 0)).toBe(99);

        const observations = await knex('observations').select();
        expect(observations).toHaveLength(1);
        expect(observations[0]).toMatchObject({
          cluster: 'main',
          namespace: 'dev',
          name: 'podinfo',
          reason: 'UpgradeSucceeded',
          chart_version: '6.7.0',
          source: 'webhook',
        });
        const deployments = await knex('deployments').select();
        expect(deployments).toHaveLength(1);
        expect(deployments[0]).toMatchObject({
          chart_version: '6.7.0',
          status: 'succeeded',
        });
        const changes = (publish.mock.calls as any[][]).filter(
          ([signal]) => signal?.message?.type === 'deployments-changed',
        );
        expect(changes).toHaveLength(1);
        expect(changes[0][0].message.targets).toEqual([
          expect.objectContaining({
            cluster: 'main',
            namespace: 'dev',
            chartVersion: '6.7.0',
            status: 'succeeded',
          }),
        ]);
        const res = await request(backend.server)
          .get('/api/flux-pipelines/pipelines/flux-system/podinfo')
          .set('Authorization', mockCredentials.user.header());
        expect(res.body.environments[0].targets[0].deployed).toMatchObject({
          chartVersion: '6.7.0',
          status: 'succeeded',
          finishedAt: '2026-11-26T09:30:00.000Z',
        });
        await expectPagesExact(backend.server);
      } finally {
        await backend.stop();
      }
    },
  );
});
