import { AuditorService } from '@backstage/backend-plugin-api';
import { Promotion } from '@flux-pipelines/plugin-flux-pipelines-common';
import express from 'express';

/** The gates a promotion passed by override, for audit events. */
export function overriddenMeta(promotion: Promotion) {
  return promotion.overriddenGates
    ? {
        overriddenGates: promotion.overriddenGates.map(
          g => `${g.gate}: ${g.reason}`,
        ),
      }
    : {};
}

/**
 * An audit event of its own (`promotion-gate-override`, high severity) for
 * a promotion asked for or approved through gates that refused it.
 */
export async function auditOverride(
  auditor: AuditorService,
  req: express.Request,
  promotion: Promotion,
): Promise<void> {
  if (!promotion.overriddenGates?.length) return;
  const event = await auditor.createEvent({
    eventId: 'promotion-gate-override',
    severityLevel: 'high',
    request: req,
    meta: {
      pipeline: `${promotion.pipelineNamespace}/${promotion.pipelineName}`,
      environment: promotion.environment,
      version: promotion.version,
      promotionId: promotion.id,
      ...overriddenMeta(promotion),
    },
  });
  await event.success();
}
