import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { InsightsService } from './InsightsService';
import { parseInsightsQuery } from './insightsQuery';

/**
 * `GET /insights`: for any signed-in caller, as `GET /pipelines` is; the
 * catalog decides with the caller's credentials which entities they see.
 */
export function createInsightsRouter(options: {
  insights: InsightsService;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  router.get('/insights', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req);
    const query = parseInsightsQuery(req.query);
    res.json(await options.insights.insights(query, credentials));
  });
  return router;
}
