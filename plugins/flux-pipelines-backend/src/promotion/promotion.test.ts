import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ClusterSim } from '@internal/cluster-sim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  ADA,
  API,
  commitAndWait,
  createFleet,
  startPromotionBackend as startBackend,
  startPromotionSim as startSim,
} from './__testUtils__/promotionScenario';
import { expectPagesExact } from '../readmodel/__testUtils__/expectPagesExact';

jest.setTimeout(90_000);

describe('promotion by commit, end to end', () => {
  let root: string;
  let sim: ClusterSim;
  let fleet: ReturnType<typeof createFleet>;
  let b: Awaited<ReturnType<typeof startBackend>> | undefined;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'flux-pipelines-promotion-'));
    fleet = createFleet(root);
    sim = await startSim(fleet.url);
  });
  afterEach(async () => {
    try {
      // The read model answers every page as the database does.
      if (b) await expectPagesExact(b.server);
    } finally {
      await b?.backend.stop();
      b = undefined;
      await sim.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  /** Commits a version to dev and waits until it runs there (and, unless told not to, passed its Helm tests). */
  const devRuns = (version: string, options: { tested?: boolean } = {}) =>
    commitAndWait(b!, fleet, 'dev', version, options);

  it('promotes dev\u2019s version to test by a commit the GitOps loop deploys, then to prod after approval', async () => {
    b = await startBackend(sim, fleet.url);
    await devRuns('6.5.1');

    const test = await b.environment('test');
    expect(test.promotable).toEqual({ version: '6.5.1', appVersion: '6.5.1' });
    expect(test.manual).toBe(false);

    const preview = await b.get(
      '/promotions/preview?environment=test&version=6.5.1',
    );
    expect(preview).toMatchObject({
      environment: 'test',
      fromEnvironment: 'dev',
      strategy: 'commit',
      manual: false,
      from: { version: '6.5.0' },
      to: { version: '6.5.1' },
    });
    expect(preview.files).toHaveLength(1);
    expect(preview.files[0].path).toBe('apps/test/podinfo.yaml');
    expect(preview.files[0].diff).toContain(
      '+      version: 6.5.1 # {"$promotion": "flux-system:podinfo:test"}',
    );
    expect(fleet.log()).not.toContain('Promote');

    // Without a user: 401, and nothing happens.
    const anonymous = await request(b.server)
      .post(`${API}/promotions`)
      .set('Authorization', mockCredentials.none.header())
      .send({ environment: 'test', version: '6.5.1' });
    expect(anonymous.status).toBe(401);
    // A service (not a person) cannot promote either.
    const service = await request(b.server)
      .post(`${API}/promotions`)
      .set('Authorization', mockCredentials.service.header())
      .send({ environment: 'test', version: '6.5.1' });
    expect(service.status).toBe(403);

    // Ten identical clicks make one promotion.
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        b!.promote({
          environment: 'test',
          version: '6.5.1',
          entityRef: 'component:default/podinfo',
        }),
      ),
    );
    expect(responses.map(r => r.status).sort()).toEqual([
      ...Array(9).fill(200),
      201,
    ]);
    const ids = new Set(responses.map(r => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.find(r => r.status === 201)!.body).toMatchObject({
      environment: 'test',
      fromEnvironment: 'dev',
      version: '6.5.1',
      previousVersion: '6.5.0',
      trigger: 'manual',
      strategy: 'commit',
      requestedBy: ADA,
    });

    const deployed = await eventually(async () => {
      const { items } = await b!.get('/promotions?environment=test');
      return items[0]?.state === 'deployed' ? items[0] : undefined;
    }, 30_000);
    expect(deployed.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect((await b.environment('test')).targets[0].deployed.chartVersion).toBe(
      '6.5.1',
    );
    const log = fleet.log();
    expect(
      log.match(/Promote flux-system\/podinfo 6.5.1 to test/g),
    ).toHaveLength(1);
    expect(log).toContain('Ada Lovelace <ada@example.com>');
    expect(log).toContain(`Flux-Pipelines-Promotion: ${deployed.id}`);

    // The execution shows its promotion.
    const { items: executions } = await b.get('/executions');
    const execution = executions.find((e: any) => e.chartVersion === '6.5.1');
    expect(
      execution.promotions.map((p: any) => [p.environment, p.state]),
    ).toContainEqual(['test', 'deployed']);

    // prod waits for approval: the pipeline asked for it once test succeeded.
    const waiting = await eventually(async () => {
      const prod = await b!.environment('prod');
      return prod.promotion?.state === 'waiting-approval'
        ? prod.promotion
        : undefined;
    }, 20_000);
    expect(waiting).toMatchObject({
      version: '6.5.1',
      trigger: 'automatic',
      requestedBy: 'pipeline',
    });
    expect(fleet.log()).not.toContain('to prod');

    const approved = await request(b.server)
      .post(`${API}/promotions/${waiting.id}/approve`)
      .set('Authorization', b.as())
      .send({ entityRef: 'component:default/podinfo' });
    expect(approved.status).toBe(200);
    expect(approved.body.approvedBy).toBe(ADA);
    await eventually(async () => {
      const prod = await b!.environment('prod');
      return (
        prod.promotion?.state === 'deployed' &&
        prod.targets[0].deployed?.chartVersion === '6.5.1'
      );
    }, 30_000);
    const again = await request(b.server)
      .post(`${API}/promotions/${waiting.id}/approve`)
      .set('Authorization', b.as())
      .send({});
    expect(again.status).toBe(409);

    expect(
      b.audits.filter(a => a.eventId === 'promotion-request'),
    ).toHaveLength(10);
    expect(b.audits.find(a => a.resultMeta?.created)).toMatchObject({
      meta: {
        pipeline: 'flux-system/podinfo',
        environment: 'test',
        version: '6.5.1',
      },
      result: 'success',
      resultMeta: { from: '6.5.0', to: '6.5.1', created: true },
    });
    expect(b.audits.find(a => a.eventId === 'promotion-approve')).toMatchObject(
      { result: 'success' },
    );
  });

  it('rolls prod back to a known-good version and holds automatic promotion into it until released', async () => {
    b = await startBackend(sim, fleet.url);
    const entityRef = 'component:default/podinfo';
    const state = async (env: string) => (await b!.environment(env)).promotion;
    const until = (env: string, check: (p: any) => boolean) =>
      eventually(async () => {
        const p = await state(env);
        return p && check(p) ? p : undefined;
      }, 30_000);
    const approve = (id: string) =>
      request(b!.server)
        .post(`${API}/promotions/${id}/approve`)
        .set('Authorization', b!.as())
        .send({ entityRef });

    await devRuns('6.5.1');
    expect(
      (await b.promote({ environment: 'test', version: '6.5.1', entityRef }))
        .status,
    ).toBe(201);
    await until('test', p => p.state === 'deployed');
    const waiting = await until('prod', p => p.state === 'waiting-approval');
    expect((await approve(waiting.id)).status).toBe(200);
    await until('prod', p => p.state === 'deployed');

    // 6.5.1 misbehaves in prod: roll back to 6.5.0, which ran there before.
    const prod = await b.environment('prod');
    expect(prod.rollbackCandidates).toEqual([
      { version: '6.5.0', appVersion: '6.5.0' },
    ]);
    const rollback = await b.promote({
      environment: 'prod',
      version: '6.5.0',
      rollback: true,
      entityRef,
    });
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({
      trigger: 'rollback',
      state: 'requested',
      previousVersion: '6.5.1',
    });
    await until(
      'prod',
      p => p.id === rollback.body.id && p.state === 'deployed',
    );
    expect((await b.environment('prod')).hold).toMatchObject({
      version: '6.5.0',
      heldBy: ADA,
    });
    const never = await b.promote({
      environment: 'prod',
      version: '9.0.0',
      rollback: true,
      entityRef,
    });
    expect(never.status).toBe(409);
    expect(never.body.error.message).toMatch(
      /has not run successfully in prod before/,
    );

    // A newer version succeeds in test, but prod is held: nothing is asked for.
    await devRuns('6.5.2');
    // Once 6.5.2's Helm tests passed in dev, it may go to test.
    await eventually(async () => {
      const res = await b!.promote({
        environment: 'test',
        version: '6.5.2',
        entityRef,
      });
      return res.status === 201;
    }, 20_000);
    await until('test', p => p.version === '6.5.2' && p.state === 'deployed');
    await new Promise(r => setTimeout(r, 2500));
    expect(await state('prod')).toMatchObject({ id: rollback.body.id });

    const release = await request(b.server)
      .delete(
        `${API}/environments/prod/hold?entityRef=${encodeURIComponent(
          entityRef,
        )}`,
      )
      .set('Authorization', b.as());
    expect(release.status).toBe(204);
    expect((await b.environment('prod')).hold).toBeUndefined();
    const next = await until('prod', p => p.state === 'waiting-approval');
    expect(next).toMatchObject({ version: '6.5.2', trigger: 'automatic' });
    expect(b.audits.map(a => [a.eventId, a.result])).toContainEqual([
      'promotion-hold-release',
      'success',
    ]);
  });

  it('refuses promotions that would not be safe, with the reason', async () => {
    b = await startBackend(sim, fleet.url);
    await devRuns('6.5.1');
    const body = { entityRef: 'component:default/podinfo' };

    const unknown = await b.promote({
      ...body,
      environment: 'test',
      version: '9.9.9',
    });
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.message).toMatch(
      /9\.9\.9 has not succeeded in dev \(main\/dev: not deployed\)/,
    );

    const first = await b.promote({
      ...body,
      environment: 'dev',
      version: '6.5.1',
    });
    expect(first.status).toBe(409);
    expect(first.body.error.message).toMatch(/first environment/);

    const skip = await b.promote({
      ...body,
      environment: 'prod',
      version: '6.5.1',
    });
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toMatch(/has not succeeded in test/);

    const noEnv = await b.promote({
      ...body,
      environment: 'staging',
      version: '6.5.1',
    });
    expect(noEnv.status).toBe(400);

    const bad = await b.promote({ environment: 'test' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Invalid request body: version/);

    const otherEntity = await b.promote({
      environment: 'test',
      version: '6.5.1',
      entityRef: 'component:default/unrelated',
    });
    expect(otherEntity.status).toBe(400);
    expect(otherEntity.body.error.message).toMatch(/does not link pipeline/);

    // test promotes on request only, so nothing was promoted.
    expect((await b.get('/promotions')).items).toEqual([]);
    expect(fleet.log()).not.toContain('Promote');
  });

  it('promotes a version only once its Helm tests passed, and never after they failed', async () => {
    await sim.stop();
    sim = await startSim(fleet.url, { testDurationMs: 4000 });
    b = await startBackend(sim, fleet.url);
    const body = {
      entityRef: 'component:default/podinfo',
      environment: 'test',
    };

    // Upgraded, tests still running: not yet, and not offered.
    await devRuns('6.5.1', { tested: false });
    expect((await b.environment('test')).promotable).toBeUndefined();
    const early = await b.promote({ ...body, version: '6.5.1' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(
      /6\.5\.1 has not passed its Helm tests in dev yet \(main\/dev\)/,
    );
    // Tests passed: now it may go.
    const later = await eventually(async () => {
      const res = await b!.promote({ ...body, version: '6.5.1' });
      return res.status === 201 ? res : undefined;
    }, 20_000);
    expect(later.body.version).toBe('6.5.1');
    expect((await b.environment('test')).promotion.version).toBe('6.5.1');
    await eventually(async () => {
      const { items } = await b!.get('/promotions?environment=test');
      return items[0]?.state === 'deployed';
    }, 30_000);

    // A version whose tests fail is never promotable.
    sim.simulator!.planOutcome(
      { namespace: 'dev', name: 'podinfo', version: '6.5.2' },
      'test-fail',
    );
    fleet.commit('dev', '6.5.2');
    await eventually(async () => {
      const dev = await b!.environment('dev');
      return (
        dev.targets[0].latest?.chartVersion === '6.5.2' &&
        dev.targets[0].latest.status === 'failed'
      );
    }, 30_000);
    const failed = await b.promote({ ...body, version: '6.5.2' });
    expect(failed.status).toBe(409);
    expect(failed.body.error.message).toMatch(
      /6\.5\.2 has not succeeded in dev \(main\/dev: failed\)/,
    );
  });

  it('answers 403 without the permission, and records nothing', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
    permissions.authorizeConditional.mockResolvedValue([
      { result: AuthorizeResult.DENY },
    ]);
    b = await startBackend(sim, fleet.url, { permissions });
    await devRuns('6.5.1');
    const res = await b.promote({
      environment: 'test',
      version: '6.5.1',
      entityRef: 'component:default/podinfo',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/not allowed to promote to test/);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [expect.objectContaining({ resourceRef: 'component:default/podinfo' })],
      expect.anything(),
    );
    expect((await b.get('/promotions')).items).toEqual([]);
    expect(b.audits).toEqual([
      expect.objectContaining({ eventId: 'promotion-request', result: 'fail' }),
    ]);
  });
});
