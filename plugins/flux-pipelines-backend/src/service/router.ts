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
import { pipelinesForEntity } from './pipelinesForEntity';

/** The HTTP API under `/api/flux-pipelines`. */
export async function createRouter(options: {
  store: PipelineStore;
  /** Describes pipelines for the pages (from the read model, when on). */
  status: PipelineStatusService;
  /**
   * Describes pipelines from the database itself, for a request that says
   * `Cache-Control: no-cache` (as the read model's exactness check does).
   */
  freshStatus?: PipelineStatusService;
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
  const describe = async (pipelines: Pipeline[], req: express.Request) => {
    const from =
      options.freshStatus && /no-cache/i.test(req.get('cache-control') ?? '')
        ? options.freshStatus
        : status;
    // One read of the targets' deployments serves both.
    const deployments = await from.workingSets(pipelines);
    await options.changeSources?.annotate(pipelines, deployments);
    const described = await from.describe(pipelines, deployments);
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

  router.get('/pipelines', async (req, res) => {
    const query = parseQuery(listQuery, req.query);
    const credentials = await httpAuth.credentials(req);
    const [stored, entity] = await Promise.all([
      store.listPipelines(),
      query.entityRef
        ? catalog.getEntityByRef(query.entityRef, { credentials })
        : undefined,
    ]);
    let items = stored.map(withOverrides);
    if (query.entityRef) {
      if (!entity) {
        throw new NotFoundError(`No entity ${query.entityRef}`);
      }
      items = await pipelinesForEntity(entity, items, store);
    }
    const body: PipelinesResponse = { items: await describe(items, req) };
    res.json(body);
  });

  router.get('/pipelines/:namespace/:name', async (req, res) => {
    const [described] = await describe([await getPipeline(req)], req);
    res.json(described);
  });

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
