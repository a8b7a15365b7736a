import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterHealth,
  EnvironmentEventsResponse,
  HealthResponse,
  Pipeline,
  PipelinesResponse,
} from '@internal/plugin-flux-pipelines-common';
import express from 'express';
import Router from 'express-promise-router';
import { PipelineStore } from '../database/PipelineStore';
import { PipelineExecutionService } from '../executions/PipelineExecutionService';
import { EnvironmentEventsService } from './EnvironmentEventsService';
import { PipelineStatusService } from './PipelineStatusService';
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
  status: PipelineStatusService;
  executions: PipelineExecutionService;
  events: EnvironmentEventsService;
  clusterHealth: () => ClusterHealth[];
  httpAuth: HttpAuthService;
  catalog: CatalogService;
}): Promise<express.Router> {
  const { store, status, httpAuth, catalog } = options;
  const router = Router();
  router.use(express.json());

  async function getPipeline(req: express.Request): Promise<Pipeline> {
    await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    const pipeline = await store.getPipeline(namespace, name);
    if (!pipeline) {
      throw new NotFoundError(`No pipeline ${namespace}/${name}`);
    }
    return pipeline;
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
    let items = await store.listPipelines();
    if (query.entityRef) {
      const entity = await catalog.getEntityByRef(query.entityRef, {
        credentials,
      });
      if (!entity) {
        throw new NotFoundError(`No entity ${query.entityRef}`);
      }
      items = pipelinesForEntity(entity, items);
    }
    const body: PipelinesResponse = { items: await status.describe(items) };
    res.json(body);
  });

  router.get('/pipelines/:namespace/:name', async (req, res) => {
    const [described] = await status.describe([await getPipeline(req)]);
    res.json(described);
  });

  router.get('/pipelines/:namespace/:name/executions', async (req, res) => {
    const query = parseQuery(executionsQuery, req.query);
    res.json(await options.executions.list(await getPipeline(req), query));
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

  return router;
}
