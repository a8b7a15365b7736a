import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterHealth,
  EnvironmentEventsResponse,
  HealthResponse,
  Pipeline,
  PipelinesResponse,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import express from 'express';
import Router from 'express-promise-router';
import { PipelineStore } from '../database/PipelineStore';
import { PipelineExecutionService } from '../executions/PipelineExecutionService';
import { PromotionService } from '../promotion/PromotionService';
import { ChangeSources } from '../provenance/ChangeSources';
import { EnvironmentEventsService } from './EnvironmentEventsService';
import { PipelineStatusService, withActivity } from './PipelineStatusService';
import {
  eventsQuery,
  executionsQuery,
  listQuery,
  parseQuery,
} from './parseQuery';
import { AppLabelLookup, pipelinesForEntity } from './pipelinesForEntity';
import { ReadModel } from '../readmodel/setupReadModel';

/** The HTTP API under `/api/flux-pipelines`. */
export async function createRouter(options: {
  store: PipelineStore;
  status: PipelineStatusService;
  /**
   * Runs each page's reads with one read of the read model's revisions; a
   * request that says `Cache-Control: no-cache` bypasses the read model and
   * reads the database (as the read model's exactness check does).
   */
  readModel?: Pick<ReadModel, 'run' | 'prefetch'>;
  /** Finds apps by label for the entity page; else the pipeline store. */
  appLabels?: AppLabelLookup;
  executions: PipelineExecutionService;
  events: EnvironmentEventsService;
  clusterHealth: () => ClusterHealth[];
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  /** Adds promotion state to described pipelines and executions. */
  promotions?: PromotionService;
  /** Applies configured promotion settings to a stored pipeline. */
  withOverrides?: (pipeline: Pipeline) => Pipeline;
  /** Adds where each deployment's change came from. */
  changeSources?: ChangeSources;
  /** `GET /insights` (insights/insightsRouter.ts). */
  insights?: express.Router;
}): Promise<express.Router> {
  const { store, status, httpAuth, catalog, promotions } = options;
  const withOverrides = options.withOverrides ?? ((p: Pipeline) => p);
  const page = (handler: express.RequestHandler): express.RequestHandler =>
    options.readModel
      ? (req, res, next) =>
          options.readModel!.run(async () => handler(req, res, next), {
            bypass: /no-cache/i.test(req.get('cache-control') ?? ''),
          })
      : handler;
  const describe = async (pipelines: Pipeline[]) => {
    await options.readModel?.prefetch(pipelines);
    // One read of the targets' deployments serves both.
    const deployments = await status.workingSets(pipelines);
    await options.changeSources?.annotate(pipelines, deployments);
    const described = await status.describe(pipelines, deployments);
    return withActivity(
      promotions
        ? await promotions.describe(described, { deployments, pipelines })
        : described,
    );
  };
  // No body parser here: this router has no body routes, and one here would
  // parse the promotion routes' bodies before their own size limit applies.
  const router = Router();

  async function getPipeline(req: express.Request): Promise<Pipeline> {
    await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    const pipeline = await store.getPipeline(namespace, name);
    if (!pipeline) {
      throw new NotFoundError(`No pipeline ${namespace}/${name}`);
    }
    return withOverrides(pipeline);
  }

  router.get('/health', async (_req, res) => {
    const body: HealthResponse = {
      status: 'ok',
      clusters: options.clusterHealth(),
    };
    res.json(body);
  });

  router.get(
    '/pipelines',
    page(async (req, res) => {
      const query = parseQuery(listQuery, req.query);
      const credentials = await httpAuth.credentials(req);
      const [stored, entity] = await Promise.all([
        store.listPipelines(),
        query.entityRef
          ? catalog.getEntityByRef(query.entityRef, { credentials })
          : undefined,
      ]);
      let items = stored;
      if (query.entityRef) {
        if (!entity) {
          throw new NotFoundError(`No entity ${query.entityRef}`);
        }
        // Overrides change no target: the entity's pipelines are found first
        // and only they are overridden, not the whole fleet on each request.
        items = await pipelinesForEntity(
          entity,
          items,
          options.appLabels ?? store,
        );
      }
      const body: PipelinesResponse = {
        items: await describe(items.map(withOverrides)),
      };
      res.json(body);
    }),
  );

  router.get(
    '/pipelines/:namespace/:name',
    page(async (req, res) => {
      const [described] = await describe([await getPipeline(req)]);
      res.json(described);
    }),
  );

  router.get('/pipelines/:namespace/:name/executions', async (req, res) => {
    const query = parseQuery(executionsQuery, req.query);
    const pipeline = await getPipeline(req);
    const executions = await options.executions.list(pipeline, query);
    await options.changeSources?.annotate(
      [pipeline],
      executions.items.flatMap(e => e.environments.flatMap(n => n.deployments)),
    );
    res.json(executions);
  });

  router.get(
    '/pipelines/:namespace/:name/environments/:env/events',
    async (req, res) => {
      const query = parseQuery(eventsQuery, req.query);
      const pipeline = await getPipeline(req);
      const body: EnvironmentEventsResponse = {
        items: await options.events.list(pipeline, req.params.env, query),
      };
      res.json(body);
    },
  );

  if (options.insights) router.use(options.insights);
  return router;
}
