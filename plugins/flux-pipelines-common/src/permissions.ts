import { createPermission } from '@backstage/plugin-permission-common';

/** Promote a version to the next environment of a pipeline. */
export const fluxPipelinesPromotionCreatePermission = createPermission({
  name: 'flux-pipelines.promotion.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Approve a promotion into an environment that waits for approval. */
export const fluxPipelinesPromotionApprovePermission = createPermission({
  name: 'flux-pipelines.promotion.approve',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Promote (or approve) through gates that refuse it (soak time, deploy
 * windows), with `override: true`; audited and shown on the promotion.
 */
export const fluxPipelinesPromotionOverridePermission = createPermission({
  name: 'flux-pipelines.promotion.override',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every permission of the flux-pipelines plugins. */
export const fluxPipelinesPermissions = [
  fluxPipelinesPromotionCreatePermission,
  fluxPipelinesPromotionApprovePermission,
  fluxPipelinesPromotionOverridePermission,
];
