import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { readClusters, readWebhookKeys } from './clusters/readClusters';
import { readConfiguredPipelines } from './config/readConfiguredPipelines';
import { readPipelineSources } from './config/readPipelineSources';
import { readEvidenceConfig } from './config/readEvidenceConfig';
import { DeploymentTracker } from './correlate/DeploymentTracker';
import { changeSignals } from './service/changeSignals';
import { DatabaseAppLabelStore } from './database/DatabaseAppLabelStore';
import { DatabaseClusterLeaseStore } from './database/DatabaseClusterLeaseStore';
import { DatabaseReplicaStore } from './database/DatabaseReplicaStore';
import { DatabaseStatusFingerprintStore } from './database/DatabaseStatusFingerprintStore';
import { DatabaseTargetTransactions } from './database/DatabaseTargetTransactions';
import { scheduleRetention } from './database/retention';
import { DatabaseDeploymentStore } from './database/DatabaseDeploymentStore';
import { DatabaseObservationStore } from './database/DatabaseObservationStore';
import { DatabaseCanaryStore } from './database/DatabaseCanaryStore';
import { DatabasePipelineStore } from './database/DatabasePipelineStore';
import { migrateDatabase } from './database/migrateDatabase';
import { PipelineExecutionService } from './executions/PipelineExecutionService';
import { EnvironmentEventsService } from './service/EnvironmentEventsService';
import { PipelineStatusService } from './service/PipelineStatusService';
import { ClusterFollower } from './follow/ClusterFollower';
import { FluxIngestSink } from './follow/FluxIngestSink';
import { createRouter } from './service/router';
import { setupReadModel } from './readmodel/setupReadModel';
import { createWebhookRouter } from './service/webhookRouter';
import { setupPromotions } from './promotion/setupPromotions';
import { setupChangeSources } from './provenance/setupChangeSources';
import { DatabaseInsightsStore } from './insights/DatabaseInsightsStore';
import { InsightsService } from './insights/InsightsService';
import { createInsightsRouter } from './insights/insightsRouter';
import { setupNotifications } from './notifications/setupNotifications';
import { DatabaseNotificationClaims } from './notifications/DatabaseNotificationClaims';

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
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        instanceMetadata: coreServices.rootInstanceMetadata,
      },
      async init(deps) {
        const { config, logger, httpRouter, httpAuth, lifecycle } = deps;
        const knex = await migrateDatabase(deps.database);
        const deployments = new DatabaseDeploymentStore(knex);
        const observations = new DatabaseObservationStore(knex);
        // What the pages read: from memory, checked against the database.
        const readModel = setupReadModel({
          config,
          knex,
          pipelines: new DatabasePipelineStore(knex),
          deployments,
          appLabels: new DatabaseAppLabelStore(knex),
          logger,
        });
        const { appLabels, pipelines: store } = readModel;
        // Flagger canary phases; a health gate asks `canaries.verdict(...)`.
        const canaries = new DatabaseCanaryStore(knex);
        const clusters = readClusters(config, {
          warnings: {
            warn: (message, meta) => logger.warn(message, meta as any),
          },
        });
        const notify = await setupNotifications({
          ...deps,
          knex,
          pipelines: store,
          appLabels,
        });
        const promotions = await setupPromotions({
          ...deps,
          notify,
          knex,
          pipelines: store,
          clusters,
          deployments,
          observations,
          appLabels,
          promotionStore: readModel.promotions,
          canaries,
        });
        const evidence = readEvidenceConfig(config);
        const signals = changeSignals(deps.signals);
        const tracker = new DeploymentTracker({
          transactions: new DatabaseTargetTransactions(knex),
          logger,
          // A success waits for the object's status, except where none can be read.
          needsConfirmation: o =>
            o.source !== 'status' && !evidence.eventOnlyClusters.has(o.cluster),
          onChange: changed => {
            // A deployment may finish a promotion, start an automatic one or a rollback.
            promotions.service.deploymentsChanged();
            notify.deploymentsChanged(changed);
            return signals.deploymentsChanged(changed);
          },
        });
        const pipelines = readConfiguredPipelines(config);
        const webhookKeys = readWebhookKeys(config);
        const pipelineSources = readPipelineSources(config, {
          clusters: clusters.map(c => c.name),
          logger,
        });
        const sink = new FluxIngestSink({
          tracker,
          pipelines: store,
          pipelineSources,
          appLabels,
          logger,
          controllers: evidence.controllers,
          canaries,
          // A restart skips the statuses it already ingested.
          fingerprints: new DatabaseStatusFingerprintStore(knex),
          // A canary phase may open or close a health gate, or fail a release.
          onCanaries: () => promotions.service.deploymentsChanged(),
          // An entity page that found no pipeline yet may find one now.
          onPipelines: signals.pipelinesChanged,
        });
        const follower = new ClusterFollower({
          clusters,
          sink,
          logger,
          watchPipelines: cluster => pipelineSources.hasCluster(cluster),
          extraHealth: cluster => sink.pipelineHealth(cluster),
          // Replicas share the clusters: one watches each at a time.
          leases: {
            store: new DatabaseClusterLeaseStore(knex),
            // spread evenly over the live replicas, re-spread as they change
            replicas: new DatabaseReplicaStore(knex),
            holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
          },
        });
        await scheduleRetention({
          scheduler: deps.scheduler,
          config,
          observations,
          canaries,
          claims: new DatabaseNotificationClaims(knex),
          logger,
        });

        lifecycle.addStartupHook(async () => {
          // Pipelines stored before pipelineSources said otherwise go first.
          for (const gone of await store.removeUntrustedPipelines((c, ns) =>
            pipelineSources.trusts(c, ns),
          )) {
            logger.warn(
              `Removed the stored pipeline ${gone.namespace}/${gone.name} of cluster ${gone.cluster}: ` +
                'refused by fluxPipelines.pipelineSources',
              gone,
            );
          }
          await store.replacePipelines('config', pipelines);
          logger.info('Loaded pipelines from configuration', {
            count: pipelines.length,
          });
          follower.start();
        });
        lifecycle.addShutdownHook(() => follower.stop());

        httpRouter.use(
          createWebhookRouter({
            hmacKeyFor: name => webhookKeys.get(name)?.reveal(),
            tracker,
            logger,
            controllers: evidence.controllers,
          }),
        );
        httpRouter.use(
          await createRouter({
            store,
            status: new PipelineStatusService(readModel.deployments),
            readModel,
            appLabels: {
              findAppsByLabel: (label, value) =>
                appLabels.findByLabel(label, value),
            },
            executions: PipelineExecutionService.create({
              deployments,
              promotions: promotions.service,
            }),
            events: EnvironmentEventsService.create({ observations }),
            clusterHealth: () => follower.health(),
            httpAuth,
            catalog: deps.catalog,
            promotions: promotions.service,
            withOverrides: promotions.withOverrides,
            changeSources: setupChangeSources({
              config,
              logger,
              knex,
              deployments: readModel.deployments,
              appLabels,
              promotionStore: readModel.promotions,
              previewClones: promotions.previewClones,
            }),
            insights: createInsightsRouter({
              httpAuth,
              insights: InsightsService.create({
                store: new DatabaseInsightsStore(knex),
                pipelines: store,
                catalog: deps.catalog,
                withOverrides: promotions.withOverrides,
              }),
            }),
          }),
        );
        httpRouter.use(promotions.router);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Webhooks authenticate with their per-cluster HMAC signature.
        httpRouter.addAuthPolicy({
          path: '/webhook',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
