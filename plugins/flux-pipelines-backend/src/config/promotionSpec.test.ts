import { parsePromotionSpec } from './promotionSpec';

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
