import {
  Promotion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { prodPromotion } from '../promotion/__testUtils__/fixtures';
import {
  deploymentNotice,
  gateOverrideNotice,
  pipelinesTab,
  promotionNotice,
} from './pipelineNotices';

const promotion = (change: Partial<Promotion>) => ({
  ...prodPromotion('6.6.0', 'p1'),
  ...change,
});

const deployment = (change: Partial<TargetDeployment>): TargetDeployment => ({
  cluster: 'main',
  namespace: 'prod',
  kind: 'HelmRelease',
  name: 'podinfo',
  chartVersion: '6.6.0',
  status: 'failed',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...change,
});

const pipeline = { namespace: 'flux-system', name: 'podinfo' };

describe('pipeline notices', () => {
  it('links the Pipelines tab of the entity as the catalog routes it', () => {
    expect(pipelinesTab('Component:Default/podinfo')).toBe(
      '/catalog/default/component/podinfo/flux-pipelines',
    );
    expect(pipelinesTab('component:team a/pod info')).toBe(
      '/catalog/team%20a/component/pod%20info/flux-pipelines',
    );
  });

  it('tells the owners once, at high severity, that a promotion went through failing gates, and which', () => {
    expect(gateOverrideNotice(promotion({}))).toBeUndefined();
    const notice = gateOverrideNotice(
      promotion({
        requestedBy: 'user:default/ada',
        overriddenGates: [
          {
            gate: 'soak',
            state: 'waiting',
            reason: 'soak 2 of 30 min in test',
          },
        ],
      }),
    )!;
    expect(notice).toMatchObject({
      subject: 'promotion:p1:gates-overridden',
      audience: 'owners',
      payload: {
        title: 'Gate overridden: podinfo 6.6.0 to prod',
        severity: 'high',
        topic: 'flux-pipelines:flux-system/podinfo',
        scope: 'promotion:p1:gates-overridden',
      },
    });
    expect(notice.payload.description).toContain(
      'user:default/ada promoted 6.6.0 to prod',
    );
    expect(notice.payload.description).toContain(
      'soak (soak 2 of 30 min in test)',
    );
    // Its own notification: the promotion's states do not replace it.
    expect(notice.payload.scope).not.toBe(
      promotionNotice(promotion({ state: 'failed' }))!.payload.scope,
    );
  });

  it('tells of a pull request at low severity and a failed promotion at high, as updates of one notification', () => {
    const pr = promotionNotice(
      promotion({ state: 'pr-open', pullRequestUrl: 'https://git/pr/7' }),
    )!;
    const failed = promotionNotice(
      promotion({ state: 'failed', error: 'push refused\n\nhint: secret' }),
    )!;
    expect(pr.payload).toMatchObject({
      severity: 'low',
      topic: 'flux-pipelines:flux-system/podinfo',
      scope: 'promotion:p1',
    });
    expect(pr.payload.description).toContain('https://git/pr/7');
    expect(failed.payload).toMatchObject({
      title: 'Promotion failed: podinfo 6.6.0 to prod',
      severity: 'high',
      scope: 'promotion:p1',
    });
    // Only the first line of an error: no trailing logs.
    expect(failed.payload.description).toMatch(/failed: push refused$/);
    expect(failed.subject).not.toBe(pr.subject);
    expect(pr.audience).toBe('owners');
  });

  it('tells nothing of states nobody waits for', () => {
    for (const state of ['requested', 'in-progress', 'deployed', 'superseded'])
      expect(promotionNotice(promotion({ state: state as any }))).toBe(
        undefined,
      );
    expect(
      deploymentNotice(pipeline, 'prod', deployment({ status: 'succeeded' })),
    ).toBe(undefined);
  });

  it('tells of a failure, then its rollback, as two states of one notification', () => {
    const failed = deploymentNotice(pipeline, 'prod', deployment({}))!;
    const rolledBack = deploymentNotice(
      pipeline,
      'prod',
      deployment({ status: 'rolled-back' }),
    )!;
    expect(failed.payload.title).toBe('podinfo 6.6.0 failed in prod');
    expect(rolledBack.payload.title).toBe(
      'podinfo 6.6.0 was rolled back in prod',
    );
    expect(rolledBack.payload.severity).toBe('high');
    expect(rolledBack.payload.scope).toBe(failed.payload.scope);
    expect(rolledBack.subject).not.toBe(failed.subject);
  });

  it('tells the owners of an automatic rollback, with its reason, once', () => {
    const rollback = promotion({
      version: '6.5.0',
      trigger: 'rollback',
      requestedBy: 'pipeline',
      state: 'requested',
      reason:
        'automatic rollback: 6.6.0 failed in prod (canary failed on main/prod)',
    });
    const notice = promotionNotice(rollback)!;
    expect(notice).toMatchObject({
      audience: 'owners',
      subject: 'promotion:p1:requested',
      payload: {
        title: 'Rolled back automatically: podinfo prod to 6.5.0',
        severity: 'high',
        scope: 'promotion:p1',
      },
    });
    expect(notice.payload.description).toContain(
      '(automatic rollback: 6.6.0 failed in prod (canary failed on main/prod))',
    );
    // A rollback someone asked for is no news to them.
    expect(
      promotionNotice({ ...rollback, requestedBy: 'user:default/ada' }),
    ).toBeUndefined();
  });
});
