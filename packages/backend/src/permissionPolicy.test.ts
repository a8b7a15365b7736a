import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  fluxPipelinesPromotionApprovePermission,
  fluxPipelinesPromotionCreatePermission,
  fluxPipelinesPromotionOverridePermission,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { DemoPermissionPolicy } from './permissionPolicy';

const user = (ownershipEntityRefs: string[]) => ({
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs,
  },
  info: { userEntityRef: 'user:default/guest', ownershipEntityRefs },
  token: 'token',
  credentials: {} as any,
});

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it.each([
    fluxPipelinesPromotionCreatePermission,
    fluxPipelinesPromotionApprovePermission,
    fluxPipelinesPromotionOverridePermission,
  ])('lets only the owners of the entity $name', async permission => {
    const decision = await policy.handle(
      { permission },
      user(['user:default/guest', 'group:default/platform']) as any,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/guest', 'group:default/platform'] },
      },
    });
  });

  it('denies promotion to a caller that owns nothing', async () => {
    expect(
      await policy.handle({
        permission: fluxPipelinesPromotionCreatePermission,
      }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows everything else', async () => {
    expect(
      await policy.handle({
        permission: {
          type: 'basic',
          name: 'catalog.entity.create',
          attributes: { action: 'create' },
        },
      }),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
