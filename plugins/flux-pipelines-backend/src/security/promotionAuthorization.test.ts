import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ClusterSim } from '@internal/cluster-sim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { HELM_RELEASE } from '../faults/__testUtils__/faultHelpers';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  ADA,
  API,
  createFleet,
  startPromotionBackend,
  startPromotionSim,
} from '../promotion/__testUtils__/promotionScenario';

jest.setTimeout(90_000);

/** A signed-in guest: owns what group `guests` owns, podinfo is not among it. */
const GUEST = 'user:default/guest';
/** Ada's team mate: owns podinfo too. */
const BOB = 'user:default/bob';
const OWNERS: Record<string, string> = {
  [ADA]: 'team-a',
  [BOB]: 'team-a',
  [GUEST]: 'guests',
};

const PODINFO: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'podinfo', namespace: 'default' },
  spec: { owner: 'team-a' },
};

/** An entity the guest registers and owns, carrying whatever annotations it likes. */
const guestEntity = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'guests', lifecycle: 'experimental' },
});

/**
 * The owner policy a Backstage permission backend applies with
 * `isEntityOwner`: a resource permission on an entity is allowed to the
 * users whose group owns it.
 */
function ownerPolicy(entities: Entity[]) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async (requests, options) =>
    requests.map(r => {
      const user = (options.credentials.principal as any).userEntityRef;
      const ref = 'resourceRef' in r ? r.resourceRef : undefined;
      const entity = entities.find(e => stringifyEntityRef(e) === ref);
      const owns = !!entity && OWNERS[user] === entity.spec?.owner;
      return { result: owns ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }),
  );
  return permissions;
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'security: who may promote, approve, hold and preview, on %p',
  databaseId => {
    let root: string;
    let sim: ClusterSim;
    let fleet: ReturnType<typeof createFleet>;
    let b: Awaited<ReturnType<typeof startPromotionBackend>> | undefined;

    beforeEach(async () => {
      root = mkdtempSync(join(tmpdir(), 'flux-pipelines-authz-'));
      fleet = createFleet(root);
      sim = await startPromotionSim(fleet.url);
    });
    afterEach(async () => {
      await b?.backend.stop();
      b = undefined;
      await sim.stop();
      rmSync(root, { recursive: true, force: true });
    });

    /** Waits until dev runs 6.5.1 and test could take it. */
    async function devRuns651() {
      fleet.commit('dev', '6.5.1');
      await eventually(async () => {
        const test = await b!.environment('test');
        return test.promotable?.version === '6.5.1';
      }, 30_000);
    }

    it('a guest cannot act on a pipeline through an entity it owns that names it, or that a label links to it', async () => {
      const byAnnotation = guestEntity('guest-tool', {
        'flux-pipelines.io/pipelines': 'flux-system/podinfo',
      });
      const byLabel = guestEntity('guest-app', {
        'backstage.io/kubernetes-id': 'guest-app',
      });
      const catalogPodinfo = {
        ...PODINFO,
        metadata: {
          ...PODINFO.metadata,
          annotations: { 'flux-pipelines.io/pipelines': 'flux-system/podinfo' },
        },
      };
      b = await startPromotionBackend(sim, fleet.url, {
        knex: await databases.init(databaseId),
        entities: [byAnnotation, byLabel],
        permissions: ownerPolicy([catalogPodinfo, byAnnotation, byLabel]),
      });
      // Someone with access to the dev namespace labels podinfo for the guest's entity.
      const release = sim.store.get(HELM_RELEASE, 'dev', 'podinfo');
      sim.apply([
        {
          apiVersion: release.apiVersion,
          kind: release.kind,
          spec: release.spec,
          metadata: {
            name: 'podinfo',
            namespace: 'dev',
            labels: { 'backstage.io/kubernetes-id': 'guest-app' },
          },
        },
      ]);
      await devRuns651();
      const as = (user: string) => mockCredentials.user.header(user);

      for (const entityRef of [
        'component:default/guest-tool',
        'component:default/guest-app',
        undefined,
      ]) {
        const promote = await request(b.server)
          .post(`${API}/promotions`)
          .set('Authorization', as(GUEST))
          .send({ environment: 'test', version: '6.5.1', entityRef });
        expect(promote.status).toBe(403);
        expect(promote.body.error.message).toMatch(
          /not allowed to promote to test in pipeline flux-system\/podinfo: .* lack it on component:default\/podinfo$/,
        );
        const approve = await request(b.server)
          .post(`${API}/promotions/some-id/approve`)
          .set('Authorization', as(GUEST))
          .send({ entityRef });
        expect(approve.status).toBe(403);
        const hold = await request(b.server)
          .delete(`${API}/environments/test/hold`)
          .query(entityRef ? { entityRef } : {})
          .set('Authorization', as(GUEST));
        expect(hold.status).toBe(403);
        const preview = await request(b.server)
          .get(`${API}/promotions/preview`)
          .query({ environment: 'test', version: '6.5.1', entityRef })
          .set('Authorization', as(GUEST));
        expect(preview.status).toBe(403);
      }
      expect((await b.get('/promotions')).items).toEqual([]);
      expect(fleet.log()).not.toContain('Promote');
      // Every refused write is audited as failed.
      expect(b.audits.length).toBeGreaterThanOrEqual(9);
      expect(b.audits.every(a => a.result === 'fail')).toBe(true);

      // The owners of podinfo are not the owners of the guest's entities
      // either: whoever acts needs the permission on every linked entity.
      const ada = await b.promote({ environment: 'test', version: '6.5.1' });
      expect(ada.status).toBe(403);
      expect(ada.body.error.message).toMatch(
        /component:default\/guest-app, component:default\/guest-tool$/,
      );
    });

    it('answers a malformed entityRef, an oversized body and a missing one with 4xx, never 500', async () => {
      b = await startPromotionBackend(sim, fleet.url, {
        knex: await databases.init(databaseId),
      });
      const as = mockCredentials.user.header(ADA);
      const weird = await request(b.server)
        .get(`${API}/promotions/preview`)
        .query({ environment: 'test', version: '6.5.1', entityRef: ':::' })
        .set('Authorization', as);
      expect(weird.status).toBe(400);
      expect(weird.body.error.message).toMatch(/Invalid entityRef/);
      const big = await request(b.server)
        .post(`${API}/promotions`)
        .set('Authorization', as)
        .send({
          environment: 'test',
          version: '6.5.1',
          pad: 'x'.repeat(20_000),
        });
      expect(big.status).toBe(413);
      const unknown = await request(b.server)
        .post(`${API}/promotions`)
        .set('Authorization', as)
        .send({
          environment: 'test',
          version: '6.5.1',
          entityRef: 'component:default/nope',
        });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/does not link/);
      // No entityRef at all: the server knows the linked entities itself.
      const none = await b.promote({ environment: 'test', version: '9.9.9' });
      expect(none.status).toBe(409);
    });

    it('protects prod whatever the pipeline says: approval by someone else, rollbacks too, and no downgrade as a promotion', async () => {
      b = await startPromotionBackend(sim, fleet.url, {
        knex: await databases.init(databaseId),
        promotion: {
          protectedEnvironments: [{ namespace: 'prod' }],
          // The pipeline's own settings say prod needs no approval.
          pipelines: [
            {
              pipeline: 'flux-system/podinfo',
              strategy: { commit: { url: fleet.url, branch: 'main' } },
              environments: [
                { name: 'test', automatic: false },
                { name: 'prod', manual: false, automatic: false },
              ],
            },
          ],
        },
      });
      await devRuns651();
      expect(
        (await b.promote({ environment: 'test', version: '6.5.1' })).status,
      ).toBe(201);
      await eventually(async () => {
        const prod = await b!.environment('prod');
        return prod.promotable?.version === '6.5.1';
      }, 30_000);
      expect((await b.environment('prod')).manual).toBe(true);

      // Test runs 6.5.1 now: 6.5.0 (which succeeded in dev) would go back.
      const down = await b.promote({ environment: 'test', version: '6.5.0' });
      expect(down.status).toBe(409);
      expect(down.body.error.message).toMatch(
        /6\.5\.0 is older than 6\.5\.1, which test runs; going back is a rollback/,
      );

      const asked = await b.promote({ environment: 'prod', version: '6.5.1' });
      expect(asked.status).toBe(201);
      expect(asked.body.state).toBe('waiting-approval');
      const approve = (user: string) =>
        request(b!.server)
          .post(`${API}/promotions/${asked.body.id}/approve`)
          .set('Authorization', mockCredentials.user.header(user))
          .send({});
      const self = await approve(ADA);
      expect(self.status).toBe(403);
      expect(self.body.error.message).toMatch(
        /prod is protected \(fluxPipelines\.promotion\.protectedEnvironments, separateApprover\)/,
      );
      expect(fleet.log()).not.toContain('to prod');
      const other = await approve(BOB);
      expect(other.status).toBe(200);
      expect(other.body.approvedBy).toBe(BOB);
      await eventually(async () => {
        const prod = await b!.environment('prod');
        return prod.targets[0].deployed?.chartVersion === '6.5.1';
      }, 30_000);
      // The promotion is over once it is recorded as deployed (the follow-up
      // may see the release a moment after the page does).
      await eventually(async () => {
        const { body } = await request(b!.server)
          .get(`${API}/promotions?environment=prod`)
          .set('Authorization', mockCredentials.user.header(ADA));
        return body.items?.[0]?.state === 'deployed';
      }, 30_000);

      // A rollback of prod waits for approval as well.
      const rollback = await b.promote({
        environment: 'prod',
        version: '6.5.0',
        rollback: true,
      });
      expect(rollback.status).toBe(201);
      expect(rollback.body).toMatchObject({
        trigger: 'rollback',
        state: 'waiting-approval',
      });
    });
  },
);
