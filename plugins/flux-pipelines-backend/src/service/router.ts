import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterHealth,
  HealthResponse,
  PipelinesResponse,
} from '@internal/plugin-flux-pipelines-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PipelineStore } from '../database/PipelineStore';
import { PipelineStatusService } from './PipelineStatusService';
import { pipelinesForEntity } from './pipelinesForEntity';

const listQuery = z.object({ entityRef: z.string().min(1).optional() });

/** The HTTP API under `/api/flux-pipelines`. */
export async function createRouter(options: {
  store: PipelineStore;
  status: PipelineStatusService;
  clusterHealth: () => ClusterHealth[];
  httpAuth: HttpAuthService;
  catalog: CatalogService;
}): Promise<express.Router> {
  const { store, status, httpAuth, catalog } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    const body: HealthResponse = {
      status: 'ok',
      clusters: options.clusterHealth(),
    };
    res.json(body);
  });

  router.get('/pipelines', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`Invalid query: ${query.error.message}`);
    }
    const credentials = await httpAuth.credentials(req);
    let items = await store.listPipelines();
    if (query.data.entityRef) {
      const entity = await catalog.getEntityByRef(query.data.entityRef, {
        credentials,
      });
      if (!entity) {
        throw new NotFoundError(`No entity ${query.data.entityRef}`);
      }
      items = pipelinesForEntity(entity, items);
    }
    const body: PipelinesResponse = { items: await status.describe(items) };
    res.json(body);
  });

  router.get('/pipelines/:namespace/:name', async (req, res) => {
    await httpAuth.credentials(req);
    const { namespace, name } = req.params;
    const pipeline = await store.getPipeline(namespace, name);
    if (!pipeline) {
      throw new NotFoundError(`No pipeline ${namespace}/${name}`);
    }
    const [described] = await status.describe([pipeline]);
    res.json(described);
  });

  return router;
}
