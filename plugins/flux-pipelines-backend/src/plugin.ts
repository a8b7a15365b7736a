import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { readConfiguredPipelines } from './config/readConfiguredPipelines';
import { DeploymentTracker } from './correlate/DeploymentTracker';
import { DatabaseDeploymentStore } from './database/DatabaseDeploymentStore';
import { DatabaseObservationStore } from './database/DatabaseObservationStore';
import { DatabasePipelineStore } from './database/DatabasePipelineStore';
import { migrateDatabase } from './database/migrateDatabase';
import { PipelineStatusService } from './service/PipelineStatusService';
import { createRouter } from './service/router';
import { createWebhookRouter } from './service/webhookRouter';

/** The signals channel on which every deployment change is published. */
export const FLUX_PIPELINES_SIGNAL_CHANNEL = 'flux-pipelines';

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
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter, httpAuth, lifecycle } = deps;
        const knex = await migrateDatabase(deps.database);
        const store = new DatabasePipelineStore(knex);
        const deployments = new DatabaseDeploymentStore(knex);
        const tracker = new DeploymentTracker({
          observations: new DatabaseObservationStore(knex),
          deployments,
          logger,
          onChange: changed =>
            deps.signals.publish({
              recipients: { type: 'broadcast' },
              channel: FLUX_PIPELINES_SIGNAL_CHANNEL,
              message: {
                type: 'deployments-changed',
                targets: changed.map(d => ({
                  cluster: d.cluster,
                  namespace: d.namespace,
                  kind: d.kind,
                  name: d.name,
                  chartVersion: d.chartVersion,
                  status: d.status,
                })),
              },
            }),
        });
        const pipelines = readConfiguredPipelines(config);

        lifecycle.addStartupHook(async () => {
          await store.replacePipelines('config', pipelines);
          logger.info('Loaded pipelines from configuration', {
            count: pipelines.length,
          });
        });

        const webhookKeys = new Map(
          (config.getOptionalConfigArray('fluxPipelines.clusters') ?? []).flatMap(
            c => {
              const key = c.getOptionalString('webhookHmacKey');
              return key ? [[c.getString('name'), key] as const] : [];
            },
          ),
        );
        httpRouter.use(
          createWebhookRouter({
            hmacKeyFor: cluster => webhookKeys.get(cluster),
            tracker,
            logger,
          }),
        );
        httpRouter.use(
          await createRouter({
            store,
            status: new PipelineStatusService(deployments),
            httpAuth,
            catalog: deps.catalog,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Webhooks authenticate with their per-cluster HMAC signature.
        httpRouter.addAuthPolicy({ path: '/webhook', allow: 'unauthenticated' });
      },
    });
  },
});
