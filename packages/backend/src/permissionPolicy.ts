import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  fluxPipelinesPromotionApprovePermission,
  fluxPipelinesPromotionCreatePermission,
  fluxPipelinesPromotionOverridePermission,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/**
 * The demo's policy: everything is allowed, except that promoting,
 * approving and overriding gates are for the owners of the entity whose pipeline it is (the
 * `guest` sign-in owns what `group:default/platform` owns, see app-config).
 * A policy for your organisation can follow the same pattern.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (
      isPermission(permission, fluxPipelinesPromotionCreatePermission) ||
      isPermission(permission, fluxPipelinesPromotionApprovePermission) ||
      isPermission(permission, fluxPipelinesPromotionOverridePermission)
    ) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      if (!claims.length) {
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'flux-pipelines-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
