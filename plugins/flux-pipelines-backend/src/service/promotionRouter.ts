import {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Pipeline,
  PromotionsResponse,
  fluxPipelinesPromotionApprovePermission,
  fluxPipelinesPromotionCreatePermission,
  fluxPipelinesPromotionOverridePermission,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PromotionService } from '../promotion/PromotionService';
import { auditOverride, overriddenMeta } from './auditOverride';
import { LinkedEntities } from './linkedEntities';
import { parseQuery } from './parseQuery';
import { createPipelineGuard, guarded } from './pipelineGuard';

/** Largest promotion request body; they are a few hundred bytes. */
export const PROMOTION_BODY_LIMIT = '16kb';

const entityRef = z.string().min(1).max(1024).optional();
const promotionBody = z.object({
  environment: z.string().min(1).max(253),
  version: z.string().min(1).max(256),
  entityRef,
  rollback: z.boolean().optional(),
  override: z.boolean().optional(),
});
const approveBody = z.object({ entityRef, override: z.boolean().optional() });
/** Asking to pass failing gates needs the override permission too. */
const overridePermission = (req: express.Request) =>
  req.body?.override === true ? [fluxPipelinesPromotionOverridePermission] : [];
const previewQuery = z.object({
  environment: z.string().min(1).max(253),
  version: z.string().min(1).max(256),
  entityRef,
  rollback: z
    .enum(['true', 'false'])
    .optional()
    .transform(v => v === 'true'),
});
const listPromotionsQuery = z.object({
  environment: z.string().min(1).optional(),
});
const holdQuery = z.object({ entityRef });

/**
 * The promotion API: list, preview, request, approve, release a rollback
 * hold. Everything but the list needs a signed-in user with the permission
 * on every catalog entity linking the pipeline, checked once per route by
 * {@link createPipelineGuard}; changes are audited, refusals too.
 */
export function createPromotionRouter(options: {
  getPipeline: (
    namespace: string,
    name: string,
  ) => Promise<Pipeline | undefined>;
  promotions: PromotionService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  linkedEntities: Pick<LinkedEntities, 'of'>;
}): express.Router {
  const { promotions, httpAuth } = options;
  const guard = createPipelineGuard(options);
  const router = Router();
  router.use(express.json({ limit: PROMOTION_BODY_LIMIT }));

  router.get('/pipelines/:namespace/:name/promotions', async (req, res) => {
    await httpAuth.credentials(req);
    const query = parseQuery(listPromotionsQuery, req.query);
    const { namespace, name } = req.params;
    const pipeline = await options.getPipeline(namespace, name);
    if (!pipeline) throw new NotFoundError(`No pipeline ${namespace}/${name}`);
    const body: PromotionsResponse = {
      items: await promotions.list(pipeline, query.environment),
    };
    res.json(body);
  });

  router.get(
    '/pipelines/:namespace/:name/promotions/preview',
    guard({
      permission: fluxPipelinesPromotionCreatePermission,
      action: req => `preview a promotion to ${req.query.environment}`,
    }),
    async (req, res) => {
      const query = parseQuery(previewQuery, req.query);
      res.json(
        await promotions.preview(
          guarded(res).pipeline,
          query.environment,
          query.version,
          query.rollback,
        ),
      );
    },
  );

  router.post(
    '/pipelines/:namespace/:name/promotions',
    guard({
      permission: fluxPipelinesPromotionCreatePermission,
      also: overridePermission,
      action: req =>
        `promote to ${req.body?.environment}${
          req.body?.override === true ? ' through its gates' : ''
        }`,
      audit: {
        eventId: 'promotion-request',
        meta: req => ({
          environment: req.body?.environment,
          version: req.body?.version,
          rollback: req.body?.rollback === true,
          override: req.body?.override === true,
        }),
      },
    }),
    async (req, res) => {
      const { pipeline, credentials, audit } = guarded(res);
      await audited(audit, async () => {
        const body = parseQuery(promotionBody, req.body ?? {}, 'request body');
        const { promotion, created } = await promotions.request({
          pipeline,
          environment: body.environment,
          version: body.version,
          rollback: body.rollback,
          override: body.override,
          actor: { ref: credentials.principal.userEntityRef },
        });
        if (created) await auditOverride(options.auditor, req, promotion);
        res.status(created ? 201 : 200).json(promotion);
        return {
          promotionId: promotion.id,
          state: promotion.state,
          from: promotion.previousVersion,
          to: promotion.version,
          created,
          ...overriddenMeta(promotion),
        };
      });
    },
  );

  router.post(
    '/pipelines/:namespace/:name/promotions/:id/approve',
    guard({
      permission: fluxPipelinesPromotionApprovePermission,
      also: overridePermission,
      action: req =>
        `approve promotions${
          req.body?.override === true ? ' through their gates' : ''
        }`,
      audit: {
        eventId: 'promotion-approve',
        meta: req => ({ promotionId: req.params.id }),
      },
    }),
    async (req, res) => {
      const { pipeline, credentials, audit } = guarded(res);
      await audited(audit, async () => {
        const body = parseQuery(approveBody, req.body ?? {}, 'request body');
        const before = await promotions.get(req.params.id);
        const promotion = await promotions.approve(
          pipeline,
          req.params.id,
          { ref: credentials.principal.userEntityRef },
          { override: body.override },
        );
        if (!before?.overriddenGates && promotion.overriddenGates) {
          await auditOverride(options.auditor, req, promotion);
        }
        res.json(promotion);
        return {
          environment: promotion.environment,
          from: promotion.previousVersion,
          to: promotion.version,
          ...overriddenMeta(promotion),
        };
      });
    },
  );

  router.delete(
    '/pipelines/:namespace/:name/environments/:env/hold',
    guard({
      permission: fluxPipelinesPromotionCreatePermission,
      action: req => `release the hold on ${req.params.env}`,
      audit: {
        eventId: 'promotion-hold-release',
        meta: req => ({ environment: req.params.env }),
      },
    }),
    async (req, res) => {
      const { pipeline, audit } = guarded(res);
      await audited(audit, async () => {
        parseQuery(holdQuery, req.query);
        await promotions.releaseHold(pipeline, req.params.env);
        promotions.kick();
        res.status(204).end();
        return {};
      });
    },
  );

  return router;
}

type AuditMeta = NonNullable<
  NonNullable<Parameters<AuditorServiceEvent['success']>[0]>['meta']
>;

/** Runs a guarded change and records its outcome on the audit event. */
async function audited(
  audit: AuditorServiceEvent | undefined,
  change: () => Promise<AuditMeta>,
): Promise<void> {
  let meta: AuditMeta;
  try {
    meta = await change();
  } catch (error) {
    await audit?.fail({ error: error as Error });
    throw error;
  }
  await audit?.success({ meta });
}
