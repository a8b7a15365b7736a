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
  fluxPipelinesPromotionApprovePermission,
  fluxPipelinesPromotionCreatePermission,
} from '@internal/plugin-flux-pipelines-common';

/**
 * The demo's policy: everything is allowed, except that promoting and
 * approving need a signed-in user who is not the `guest-readonly` demo user.
 * Replace it with your organisation's policy (e.g. owners only).
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isPermission(
        request.permission,
        fluxPipelinesPromotionCreatePermission,
      ) ||
      isPermission(request.permission, fluxPipelinesPromotionApprovePermission)
    ) {
      const userRef = user?.info.userEntityRef;
      if (!userRef || userRef === 'user:default/guest-readonly') {
        return { result: AuthorizeResult.DENY };
      }
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
