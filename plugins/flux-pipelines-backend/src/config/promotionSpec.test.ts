import {
  Pipeline,
  PromotionSpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { effectivePromotion, parsePromotionSpec } from './promotionSpec';

describe('parsePromotionSpec secretRef', () => {
  it('reads the pull-request secretRef, and the strategy-level one for notifications', () => {
    expect(
      parsePromotionSpec(
        {
          strategy: {
            'pull-request': {
              type: 'github',
              url: 'https://github.com/org/fleet',
              baseBranch: 'main',
              secretRef: { name: 'github-token' },
            },
          },
        },
        'p',
      ).spec?.strategy,
    ).toMatchObject({ type: 'pull-request', secretRef: 'github-token' });
    expect(
      parsePromotionSpec(
        { strategy: { notification: {}, secretRef: { name: 'webhook' } } },
        'p',
      ).spec?.strategy,
    ).toEqual({ type: 'notification', secretRef: 'webhook' });
    expect(
      parsePromotionSpec({ strategy: { notification: {} } }, 'p').spec
        ?.strategy,
    ).toEqual({ type: 'notification' });
  });
});

describe('automatic rollback settings', () => {
  const pipeline = (promotion: PromotionSpec): Pipeline => ({
    source: 'config',
    namespace: 'flux-system',
    name: 'podinfo',
    appRef: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease' as const,
      name: 'podinfo',
    },
    environments: [{ name: 'prod', targets: [], promotion }],
  });

  it('is off unless the environment turns it on, and refuses a value that is not true or false', () => {
    expect(effectivePromotion(pipeline({}), 'prod').automaticRollback).toBe(
      false,
    );
    const { spec } = parsePromotionSpec({ rollback: { automatic: true } }, 'p');
    expect(effectivePromotion(pipeline(spec!), 'prod').automaticRollback).toBe(
      true,
    );
    expect(parsePromotionSpec({ rollback: { automatic: 'yes' } }, 'p')).toEqual(
      { error: 'p: promotion.rollback.automatic must be true or false' },
    );
  });

  it('counts a failed canary only with onCanaryFailure as well (default false)', () => {
    const of = (rollback: unknown) =>
      effectivePromotion(
        pipeline(parsePromotionSpec({ rollback }, 'p').spec!),
        'prod',
      ).rollbackOnCanaryFailure;
    expect(of({ automatic: true })).toBe(false);
    expect(of({ automatic: true, onCanaryFailure: true })).toBe(true);
    expect(of({ automatic: false, onCanaryFailure: true })).toBe(false);
    expect(
      parsePromotionSpec(
        { rollback: { automatic: true, onCanaryFailure: 1 } },
        'p',
      ),
    ).toEqual({
      error: 'p: promotion.rollback.onCanaryFailure must be true or false',
    });
  });
});
