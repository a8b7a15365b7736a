import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createRouter } from './service/router';
import { DatabasePipelineStore } from './database/DatabasePipelineStore';
import { migrateDatabase } from './database/migrateDatabase';
import { readConfiguredPipelines } from './config/readConfiguredPipelines';

/** The flux-pipelines backend plugin. */
export const fluxPipelinesPlugin = createBackendPlugin({
  pluginId: 'flux-pipelines',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, database, httpRouter, httpAuth, lifecycle, catalog }) {
        const store = new DatabasePipelineStore(await migrateDatabase(database));
        const pipelines = readConfiguredPipelines(config);

        lifecycle.addStartupHook(async () => {
          await store.replacePipelines('config', pipelines);
          logger.info('Loaded pipelines from configuration', {
            count: pipelines.length,
          });
        });

        httpRouter.use(await createRouter({ store, httpAuth, catalog }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
