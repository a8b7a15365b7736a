import {
  AuditorService,
  AuditorServiceEvent,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import express from 'express';
import { LinkedEntities } from './linkedEntities';

/** What a guarded route's handler gets: the pipeline, the caller, its audit event. */
export interface GuardedRequest {
  pipeline: Pipeline;
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  /** The entities the permission was checked on (every one linking the pipeline). */
  entityRefs: string[];
  /** Present when the route is audited; the guard already failed it on refusal. */
  audit?: AuditorServiceEvent;
}

/** What a route needs: the permission, how to name the action, and its audit event. */
export interface GuardOptions {
  permission: ResourcePermission<'catalog-entity'>;
  /**
   * Further permissions this request needs on the same entities, e.g. the
   * override permission when the body asks to pass failing gates.
   */
  also?: (req: express.Request) => ResourcePermission<'catalog-entity'>[];
  /** Names the action in a refusal, e.g. "promote to prod". */
  action: (req: express.Request) => string;
  audit?: {
    eventId: string;
    meta: (req: express.Request) => Record<string, unknown>;
  };
}

/**
 * Route middleware that authorizes an action on a pipeline, once, before the
 * handler runs. The caller must be a signed-in user with `permission` on
 * every catalog entity that links the pipeline, as found by the server
 * ({@link LinkedEntities}); an `entityRef` the caller sends only has to be one
 * of them (it names the page the request came from) and never replaces that
 * set. A pipeline no entity links cannot be acted on by anyone. The handler
 * reads the outcome with {@link guarded}.
 */
export function createPipelineGuard(deps: {
  getPipeline: (
    namespace: string,
    name: string,
  ) => Promise<Pipeline | undefined>;
  linkedEntities: Pick<LinkedEntities, 'of'>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}) {
  return (options: GuardOptions): express.RequestHandler =>
    async (req, res, next) => {
      try {
        const credentials = await deps.httpAuth.credentials(req, {
          allow: ['user'],
        });
        const { namespace, name } = req.params;
        const pipeline = await deps.getPipeline(namespace, name);
        if (!pipeline) {
          throw new NotFoundError(`No pipeline ${namespace}/${name}`);
        }
        const audit = options.audit
          ? await deps.auditor.createEvent({
              eventId: options.audit.eventId,
              severityLevel: 'medium',
              request: req,
              meta: {
                pipeline: `${namespace}/${name}`,
                ...options.audit.meta(req),
              },
            })
          : undefined;
        try {
          const entityRefs = await authorize(req, pipeline, credentials);
          const locals: GuardedRequest = {
            pipeline,
            credentials,
            entityRefs,
            audit,
          };
          res.locals.fluxPipelinesGuard = locals;
        } catch (error) {
          await audit?.fail({ error: error as Error });
          throw error;
        }
        next();
      } catch (error) {
        next(error);
      }

      async function authorize(
        request: express.Request,
        pipeline: Pipeline,
        credentials: BackstageCredentials<BackstageUserPrincipal>,
      ): Promise<string[]> {
        const label = `pipeline ${pipeline.namespace}/${pipeline.name}`;
        const entityRefs = await deps.linkedEntities.of(pipeline);
        const given = requestedEntityRef(request);
        if (given && !entityRefs.includes(given)) {
          throw new InputError(`Entity ${given} does not link ${label}`);
        }
        if (!entityRefs.length) {
          throw new NotAllowedError(
            `No catalog entity links ${label}, so nobody can be allowed to ${options.action(
              request,
            )} (link it with the flux-pipelines.io/pipelines annotation or the backstage.io/kubernetes-id label)`,
          );
        }
        const wanted = [options.permission, ...(options.also?.(request) ?? [])];
        for (const permission of wanted) {
          const decisions = await deps.permissions.authorize(
            entityRefs.map(resourceRef => ({ permission, resourceRef })),
            { credentials },
          );
          const denied = entityRefs.filter(
            (_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW,
          );
          if (denied.length) {
            throw new NotAllowedError(
              `You are not allowed to ${options.action(
                request,
              )} in ${label}: it needs ${
                permission.name
              } on every entity linking it, and you lack it on ${denied.join(
                ', ',
              )}`,
            );
          }
        }
        return entityRefs;
      }
    };
}

/** The guard's outcome for this request; throws if the route has no guard. */
export function guarded(res: express.Response): GuardedRequest {
  const locals = res.locals.fluxPipelinesGuard as GuardedRequest | undefined;
  if (!locals) throw new Error('Route is not guarded by createPipelineGuard');
  return locals;
}

/**
 * The `entityRef` the caller named (body or query), normalised; an
 * unparseable one is a 400, not a 500.
 */
function requestedEntityRef(req: express.Request): string | undefined {
  const raw = req.body?.entityRef ?? req.query.entityRef;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !raw.trim()) {
    throw new InputError('entityRef must be an entity reference string');
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `Invalid entityRef ${JSON.stringify(raw)}: ${(error as Error).message}`,
    );
  }
}
