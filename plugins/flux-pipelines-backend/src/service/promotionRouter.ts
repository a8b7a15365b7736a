import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  Pipeline,
  PromotionsResponse,
  fluxPipelinesPromotionApprovePermission,
  fluxPipelinesPromotionCreatePermission,
} from '@internal/plugin-flux-pipelines-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PromotionService } from '../promotion/PromotionService';
import { parseQuery } from './parseQuery';
import { AppLabelLookup, pipelinesForEntity } from './pipelinesForEntity';

const promotionBody = z.object({
  environment: z.string().min(1),
  version: z.string().min(1),
  entityRef: z.string().min(1).optional(),
  rollback: z.boolean().optional(),
});
const approveBody = z.object({ entityRef: z.string().min(1).optional() });
const previewQuery = z.object({
  environment: z.string().min(1),
  version: z.string().min(1),
  rollback: z
    .enum(['true', 'false'])
    .optional()
    .transform(v => v === 'true'),
});
const listPromotionsQuery = z.object({
  environment: z.string().min(1).optional(),
});
const holdQuery = z.object({ entityRef: z.string().min(1).optional() });

/**
 * The promotion API: preview, request, approve, release a rollback hold.
 * Changes need a signed-in user with the permission on the catalog entity
 * whose page the button is on, and are audited.
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
  catalog: CatalogService;
  /** Finds apps by their `backstage.io/kubernetes-id` label, to link entities to pipelines. */
  appLabels?: AppLabelLookup;
}): express.Router {
  const { promotions, httpAuth, permissions, auditor, catalog } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  async function pipelineOf(req: express.Request): Promise<Pipeline> {
    const { namespace, name } = req.params;
    const pipeline = await options.getPipeline(namespace, name);
    if (!pipeline) {
      throw new NotFoundError(`No pipeline ${namespace}/${name}`);
    }
    return pipeline;
  }

  /** Checks the permission on the entity (which must link the pipeline). */
  async function authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'> | BasicPermission,
    pipeline: Pipeline,
    entityRef: string | undefined,
    action: string,
  ) {
    if (entityRef) {
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) {
        throw new InputError(`No entity ${entityRef}`);
      }
      const linked = await pipelinesForEntity(
        entity,
        [pipeline],
        options.appLabels ?? {},
      );
      if (!linked.length) {
        throw new InputError(
          `Entity ${entityRef} does not link pipeline ${pipeline.namespace}/${pipeline.name}`,
        );
      }
    }
    const [decision] = await permissions.authorize(
      [
        entityRef
          ? {
              permission: permission as ResourcePermission,
              resourceRef: entityRef,
            }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${action} in pipeline ${pipeline.namespace}/${pipeline.name}`,
      );
    }
  }

  router.get('/pipelines/:namespace/:name/promotions', async (req, res) => {
    await httpAuth.credentials(req);
    const query = parseQuery(listPromotionsQuery, req.query);
    const body: PromotionsResponse = {
      items: await promotions.list(await pipelineOf(req), query.environment),
    };
    res.json(body);
  });

  router.get(
    '/pipelines/:namespace/:name/promotions/preview',
    async (req, res) => {
      await httpAuth.credentials(req);
      const query = parseQuery(previewQuery, req.query);
      res.json(
        await promotions.preview(
          await pipelineOf(req),
          query.environment,
          query.version,
          query.rollback,
        ),
      );
    },
  );

  router.post('/pipelines/:namespace/:name/promotions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseQuery(promotionBody, req.body ?? {}, 'request body');
    const pipeline = await pipelineOf(req);
    const audit = await auditor.createEvent({
      eventId: 'promotion-request',
      severityLevel: 'medium',
      request: req,
      meta: {
        pipeline: `${pipeline.namespace}/${pipeline.name}`,
        environment: body.environment,
        version: body.version,
        rollback: body.rollback ?? false,
        entityRef: body.entityRef,
      },
    });
    try {
      await authorize(
        credentials,
        fluxPipelinesPromotionCreatePermission,
        pipeline,
        body.entityRef,
        `promote to ${body.environment}`,
      );
      const { promotion, created } = await promotions.request({
        pipeline,
        environment: body.environment,
        version: body.version,
        rollback: body.rollback,
        actor: { ref: credentials.principal.userEntityRef },
      });
      await audit.success({
        meta: {
          promotionId: promotion.id,
          state: promotion.state,
          from: promotion.previousVersion,
          to: promotion.version,
          created,
        },
      });
      res.status(created ? 201 : 200).json(promotion);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.post(
    '/pipelines/:namespace/:name/promotions/:id/approve',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const body = parseQuery(approveBody, req.body ?? {}, 'request body');
      const pipeline = await pipelineOf(req);
      const audit = await auditor.createEvent({
        eventId: 'promotion-approve',
        severityLevel: 'medium',
        request: req,
        meta: {
          pipeline: `${pipeline.namespace}/${pipeline.name}`,
          promotionId: req.params.id,
          entityRef: body.entityRef,
        },
      });
      try {
        await authorize(
          credentials,
          fluxPipelinesPromotionApprovePermission,
          pipeline,
          body.entityRef,
          'approve promotions',
        );
        const promotion = await promotions.approve(pipeline, req.params.id, {
          ref: credentials.principal.userEntityRef,
        });
        await audit.success({
          meta: {
            environment: promotion.environment,
            from: promotion.previousVersion,
            to: promotion.version,
          },
        });
        res.json(promotion);
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.delete(
    '/pipelines/:namespace/:name/environments/:env/hold',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const query = parseQuery(holdQuery, req.query);
      const pipeline = await pipelineOf(req);
      const audit = await auditor.createEvent({
        eventId: 'promotion-hold-release',
        severityLevel: 'medium',
        request: req,
        meta: {
          pipeline: `${pipeline.namespace}/${pipeline.name}`,
          environment: req.params.env,
        },
      });
      try {
        await authorize(
          credentials,
          fluxPipelinesPromotionCreatePermission,
          pipeline,
          query.entityRef,
          `release the hold on ${req.params.env}`,
        );
        await promotions.releaseHold(pipeline, req.params.env);
        await audit.success();
        promotions.kick();
        res.status(204).end();
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  return router;
}
