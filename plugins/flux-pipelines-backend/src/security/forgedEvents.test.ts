import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import request from 'supertest';
import { linkedEntity } from '../__testUtils__/catalogEntities';
import { createTestDatabases } from '../__testUtils__/databases';
import { signWebhook } from '../__testUtils__/webhooks';
import { EVENT } from '../faults/__testUtils__/faultHelpers';
import {
  clusterConfig,
  eventually,
  release,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { fluxPipelinesPlugin } from '../plugin';

jest.setTimeout(120_000);

const HMAC = 'forged-events-webhook-key';
const API = '/api/flux-pipelines/pipelines/flux-system/podinfo';
const FORGED = '9.9.9-forged';
const databases = createTestDatabases();

/** What a tenant of `dev` writes: an Event about podinfo, from any component it likes. */
function tenantEvent(n: number, reason: string, version: string, by: string) {
  const now = new Date().toISOString();
  const verb = reason === 'TestSucceeded' ? 'test' : 'upgrade';
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `podinfo.forged-${by}-${n}`,
      namespace: 'dev',
      annotations: { 'helm.toolkit.fluxcd.io/revision': version },
    },
    involvedObject: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: 'dev',
      name: 'podinfo',
    },
    reason,
    message: `Helm ${verb} succeeded for release dev/podinfo.v9 with chart podinfo@${version}`,
    type: 'Normal',
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: by },
    reportingComponent: by,
  };
}

function webhookBody(version: string, by: string) {
  return JSON.stringify({
    involvedObject: {
      kind: 'HelmRelease',
      namespace: 'dev',
      name: 'podinfo',
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
    },
    severity: 'info',
    timestamp: new Date().toISOString(),
    message: `Helm upgrade succeeded for release dev/podinfo.v9 with chart podinfo@${version}`,
    reason: 'UpgradeSucceeded',
    metadata: { revision: version },
    reportingController: by,
  });
}

async function startForgeryBackend(sim: ClusterSim, knex: Knex) {
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      logger.factory,
      // podinfo's entity, so that its owners may ask for promotions.
      catalogServiceMock.factory({ entities: [linkedEntity('podinfo')] }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [clusterConfig('main', sim)] },
            ],
          },
          fluxPipelines: {
            clusters: [{ name: 'main', webhookHmacKey: HMAC }],
            pipelines: [
              {
                namespace: 'flux-system',
                name: 'podinfo',
                appRef: { kind: 'HelmRelease', name: 'podinfo' },
                environments: [
                  { name: 'dev', targets: [{ namespace: 'dev' }] },
                  { name: 'test', targets: [{ namespace: 'test' }] },
                ],
              },
            ],
          },
        },
      }),
    ],
  });
  const server = backend.server;
  const env = async (name: string) => {
    const res = await request(server)
      .get(API)
      .set('Authorization', mockCredentials.user.header());
    return res.body.environments?.find((e: any) => e.name === name);
  };
  const warnings = () => logger.warn.mock.calls.map(c => String(c[0]));
  const webhook = (body: string, component?: string) => {
    const req = request(server)
      .post('/api/flux-pipelines/webhook/main')
      .set('Content-Type', 'application/json')
      .set('X-Signature', signWebhook(body, HMAC));
    return (component ? req.set('Gotk-Component', component) : req).send(body);
  };
  return { backend, server, env, warnings, webhook };
}

describe('security: forged events', () => {
  let sim: ClusterSim | undefined;
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    await sim?.stop();
    stop = undefined;
    sim = undefined;
  });

  it.each(databases.eachSupportedId())(
    'a tenant cannot make a version deployed or promotable with Events, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      sim = await startSim({ namespaces: ['dev', 'test'] });
      const b = await startForgeryBackend(sim, knex);
      stop = () => b.backend.stop();
      await eventually(async () => {
        const dev = await b.env('dev');
        return dev?.targets[0].deployed?.chartVersion === '6.5.0';
      }, 30_000);
      const forgedRows = () =>
        knex('observations').where({ chart_version: FORGED });

      // 1. Events from a component that does not own HelmReleases are no
      //    evidence: not stored, one warning for the object, not five.
      for (let n = 0; n < 5; n++) {
        sim.store.create(
          EVENT,
          tenantEvent(
            n,
            n % 2 ? 'TestSucceeded' : 'UpgradeSucceeded',
            FORGED,
            'forger',
          ),
        );
      }
      await eventually(async () =>
        b.warnings().some(w => w.includes('"forger"')),
      );
      await new Promise(r => setTimeout(r, 500));
      const forgerWarnings = b.warnings().filter(w => w.includes('"forger"'));
      expect(forgerWarnings).toHaveLength(1);
      expect(forgerWarnings[0]).toContain('(dev/podinfo)');
      expect(forgerWarnings[0]).toContain(
        'refused by fluxPipelines.evidence.controllers',
      );
      expect(await forgedRows()).toEqual([]);

      // 2. The same Events claiming to be helm-controller (a tenant can
      //    write any source) are kept, but HelmRelease status.history does
      //    not confirm them: never deployed, never promotable.
      sim.store.create(
        EVENT,
        tenantEvent(10, 'UpgradeSucceeded', FORGED, 'helm-controller'),
      );
      sim.store.create(
        EVENT,
        tenantEvent(11, 'TestSucceeded', FORGED, 'helm-controller'),
      );
      await eventually(async () => (await forgedRows()).length >= 2);
      await eventually(
        async () =>
          (
            await knex('deployments').where({ chart_version: FORGED })
          ).length,
      );
      const [stored] = await knex('deployments').where({
        namespace: 'dev',
        chart_version: FORGED,
      });
      expect(Boolean(stored.unconfirmed)).toBe(true);
      const dev = await b.env('dev');
      expect(dev.targets[0].deployed.chartVersion).toBe('6.5.0');
      expect(dev.targets[0].latest).toMatchObject({
        chartVersion: FORGED,
        unconfirmed: true,
      });
      const test = await b.env('test');
      expect(test.promotable).toBeUndefined();
      const promote = await request(b.server)
        .post(`${API}/promotions`)
        .set('Authorization', mockCredentials.user.header())
        .send({ environment: 'test', version: FORGED });
      expect(promote.status).toBe(409);
      expect(promote.body.error.message).toMatch(
        /has not succeeded in dev \(main\/dev: succeeded by events only, unconfirmed by its HelmRelease's status\)/,
      );
      expect(await knex('promotions').select()).toEqual([]);

      // 3. A signed webhook is refused when a non-owning controller reports
      //    it, in the body or in the Gotk-Component header.
      const byForger = await b.webhook(webhookBody('9.9.8', 'forger'));
      expect(byForger.status).toBe(400);
      expect(byForger.body.error.message).toMatch(
        /^Not evidence: UpgradeSucceeded: refused by fluxPipelines\.evidence\.controllers: .*"forger"/,
      );
      const byHeader = await b.webhook(
        webhookBody('9.9.8', 'helm-controller'),
        'forger',
      );
      expect(byHeader.status).toBe(400);
      expect(
        await knex('observations').where({ chart_version: '9.9.8' }),
      ).toEqual([]);

      // 4. Versions that are no Helm chart version are refused, naming the object.
      for (const bad of ['6.5.2 && curl evil', `6.5.2-${'x'.repeat(130)}`]) {
        const res = await b.webhook(webhookBody(bad, 'helm-controller'));
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('is not a Helm chart version');
      }
      sim.store.create(
        EVENT,
        tenantEvent(
          20,
          'UpgradeSucceeded',
          '6.5.2 && curl evil',
          'helm-controller',
        ),
      );
      await eventually(async () =>
        b
          .warnings()
          .some(
            w =>
              w.includes('(dev/podinfo)') &&
              w.includes('is not a Helm chart version'),
          ),
      );
      expect(
        await knex('observations').where('chart_version', 'like', '6.5.2%'),
      ).toEqual([]);

      // 5. An honest upgrade (helm-controller's event, then Helm's history)
      //    becomes deployed and promotable; the forged TestSucceeded above
      //    does not make podinfo look like an app whose tests must pass.
      await release(sim, 'dev', '6.5.1');
      const honest = await eventually(async () => {
        const t = await b.env('test');
        return t?.promotable?.version === '6.5.1' && t;
      }, 30_000);
      expect(honest.promotable.version).toBe('6.5.1');
      expect((await b.env('dev')).targets[0].deployed).toMatchObject({
        chartVersion: '6.5.1',
        status: 'succeeded',
      });
      expect(
        (await b.env('dev')).targets[0].deployed.unconfirmed,
      ).toBeUndefined();
    },
  );
});
