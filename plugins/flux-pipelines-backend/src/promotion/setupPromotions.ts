import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  Pipeline,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { changeSignals } from '../service/changeSignals';
import {
  applyPromotionOverrides,
  readPromotionConfig,
} from '../config/readPromotionConfig';
import {
  protectEnvironments,
  readProtectedEnvironments,
} from '../config/protectedEnvironments';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { PromotionStore } from '../database/PromotionStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { ObservationStore } from '../database/ObservationStore';
import { AppLabelStore } from '../database/AppLabelStore';
import { CanaryStore } from '../database/CanaryStore';
import { PipelineStore } from '../database/PipelineStore';
import { ClusterDefinition } from '../clusters/ClusterDefinition';
import { NotificationHooks } from '../notifications/setupNotifications';
import { LinkedEntities } from '../service/linkedEntities';
import { createPromotionRouter } from '../service/promotionRouter';
import { PipelineSecrets } from './PipelineSecrets';
import { PromotionService } from './PromotionService';
import { DestinationPolicy } from './git/DestinationPolicy';
import { PreviewClones } from './git/PreviewClones';
import { configuredIntegrationHosts } from './git/repositoryAccess';
import { checkStrategyTarget } from './strategies/checkStrategyTarget';
import { CommitStrategy } from './strategies/CommitStrategy';
import { NotificationStrategy } from './strategies/NotificationStrategy';
import { PullRequestStrategy } from './strategies/PullRequestStrategy';
import { PromotionAuthor, PromotionStrategy } from './types';

/**
 * Builds promotion: its store, service, strategies, HTTP routes, signals and
 * the follow-up task (one replica at a time, through the scheduler).
 */
export async function setupPromotions(deps: {
  config: RootConfigService;
  logger: LoggerService;
  knex: Knex;
  pipelines: PipelineStore;
  /** The clusters watched; a pipeline's `secretRef` is read on its own. */
  clusters: ClusterDefinition[];
  deployments: DeploymentStore;
  observations: ObservationStore;
  appLabels: AppLabelStore;
  /** Where promotions are kept (e.g. the read model); else the database. */
  promotionStore?: PromotionStore;
  /** Flagger canary verdicts, for the health gate. */
  canaries?: CanaryStore;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  signals: SignalsService;
  /** Tells people of promotion states (approval waiting, failed, pull request opened). */
  notify?: Pick<NotificationHooks, 'promotionChanged'>;
  /** Removes the clones kept for previews at shutdown. */
  lifecycle?: LifecycleService;
}) {
  const { config, logger, catalog, auth } = deps;
  const promotionConfig = readPromotionConfig(config);
  const integrations = ScmIntegrations.fromConfig(config);
  const integrationHosts = configuredIntegrationHosts(config);
  const protectedEnvironments = readProtectedEnvironments(config);
  // Protection comes last: no pipeline setting can lift it.
  const withOverrides = (p: Pipeline) =>
    protectEnvironments(
      applyPromotionOverrides(p, promotionConfig),
      protectedEnvironments,
    );

  const destinations = new DestinationPolicy(promotionConfig.destinations);
  const previewClones = new PreviewClones();
  deps.lifecycle?.addShutdownHook(() => previewClones.dispose());
  const commit = new CommitStrategy({
    integrations,
    integrationHosts,
    destinations,
    previewClones,
    logger,
  });
  const pullRequest = new PullRequestStrategy({
    integrations,
    integrationHosts,
    destinations,
    previewClones,
    logger,
  });
  const notification = promotionConfig.notification
    ? new NotificationStrategy(promotionConfig.notification)
    : undefined;
  const strategyFor = (spec: PromotionStrategySpec): PromotionStrategy => {
    switch (spec.type) {
      case 'commit':
        return commit;
      case 'pull-request':
        return pullRequest;
      default:
        if (!notification) {
          throw new ConflictError(
            'The notification strategy needs fluxPipelines.promotion.notification (url, and hmacKey unless the Pipeline names a Secret by strategy.secretRef) in app-config',
          );
        }
        return notification;
    }
  };

  const resolveAuthor = async (ref: string): Promise<PromotionAuthor> => {
    if (ref === 'pipeline') return promotionConfig.author;
    const { name } = parseEntityRef(ref);
    const fallback = { name, email: `${name}@users.noreply.backstage.io` };
    try {
      const user = await catalog.getEntityByRef(ref, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      const profile = (user?.spec as any)?.profile ?? {};
      return {
        name: profile.displayName ?? user?.metadata.title ?? name,
        email: profile.email ?? fallback.email,
      };
    } catch {
      return fallback;
    }
  };

  const secrets = new PipelineSecrets({
    clusters: deps.clusters,
    originCluster: async p =>
      deps.pipelines.originCluster?.(p.namespace, p.name),
  });
  const credentialsFor = async (
    pipeline: Pipeline,
    spec: PromotionStrategySpec,
  ) =>
    // A configured notification key wins; its Secret is not read then.
    spec.type === 'notification' && promotionConfig.notification?.hmacKey
      ? undefined
      : secrets.credentialsFor(pipeline, spec);

  const service = new PromotionService({
    store: deps.promotionStore ?? new DatabasePromotionStore(deps.knex),
    deployments: deps.deployments,
    observations: deps.observations,
    appLabels: deps.appLabels,
    canaries: deps.canaries,
    listPipelines: async () =>
      (await deps.pipelines.listPipelines()).map(withOverrides),
    strategyFor,
    checkTarget: (pipeline, spec, version) =>
      checkStrategyTarget(
        { destinations, integrations, integrationHosts },
        pipeline,
        spec,
        version,
      ),
    resolveAuthor,
    credentialsFor,
    logger,
    onChange: promotion => {
      logger.info(
        `Promotion of ${promotion.version} to ${promotion.environment} in pipeline ${promotion.pipelineNamespace}/${promotion.pipelineName} is ${promotion.state}`,
        { promotionId: promotion.id },
      );
      deps.notify?.promotionChanged(promotion);
      changeSignals(deps.signals)
        .promotionChanged(promotion)
        .catch(error =>
          logger.warn(`Failed to publish a promotion signal: ${error}`),
        );
    },
  });

  deps.lifecycle?.addShutdownHook(() => service.stop());

  await deps.scheduler.scheduleTask({
    id: 'flux-pipelines:promotions',
    frequency: { seconds: promotionConfig.followIntervalSeconds },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 5 },
    scope: 'global',
    fn: () => service.process(),
  });

  const router = createPromotionRouter({
    getPipeline: async (namespace, name) => {
      const pipeline = await deps.pipelines.getPipeline(namespace, name);
      return pipeline && withOverrides(pipeline);
    },
    promotions: service,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
    auditor: deps.auditor,
    linkedEntities: LinkedEntities.create({
      catalog,
      auth,
      appLabels: deps.appLabels,
    }),
  });

  return { service, router, withOverrides, previewClones };
}
