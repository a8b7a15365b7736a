import {
  AuthService,
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { AppLabelStore } from '../database/AppLabelStore';
import { PipelineStore } from '../database/PipelineStore';
import { LinkedEntities } from '../service/linkedEntities';
import { DatabaseNotificationClaims } from './DatabaseNotificationClaims';
import { PipelineNotifier } from './PipelineNotifier';
import { readNotificationsConfig } from './readNotificationsConfig';

/** The two hooks the plugin calls: promotion changes and deployment changes. */
export type NotificationHooks = Pick<
  PipelineNotifier,
  'promotionChanged' | 'deploymentsChanged'
>;

const OFF: NotificationHooks = {
  promotionChanged: () => {},
  deploymentsChanged: () => {},
};

/**
 * Builds the notifier, or hooks that do nothing when notifications are off:
 * by `fluxPipelines.notifications.enabled: false`, or, when that key is
 * unset, because this backend has no notifications plugin (one info line).
 */
export async function setupNotifications(deps: {
  config: RootConfigService;
  logger: LoggerService;
  knex: Knex;
  pipelines: PipelineStore;
  appLabels: AppLabelStore;
  catalog: CatalogService;
  auth: AuthService;
  notifications: NotificationService;
  instanceMetadata: RootInstanceMetadataService;
}): Promise<NotificationHooks> {
  const { logger } = deps;
  const settings = readNotificationsConfig(deps.config);
  if (settings.enabled === false) {
    logger.info(
      'Notifications are off: fluxPipelines.notifications.enabled is false',
    );
    return OFF;
  }
  if (settings.enabled === undefined) {
    const installed = await deps.instanceMetadata.getInstalledPlugins();
    if (!installed.some(p => p.pluginId === 'notifications')) {
      logger.info(
        'Notifications are off: this backend has no notifications plugin (@backstage/plugin-notifications-backend); set fluxPipelines.notifications.enabled to true if it runs in another backend',
      );
      return OFF;
    }
  }
  return PipelineNotifier.create({
    notifications: deps.notifications,
    claims: new DatabaseNotificationClaims(deps.knex),
    linkedEntities: LinkedEntities.create(deps),
    pipelines: deps.pipelines,
    approvers: settings.approvers,
    logger,
  });
}
