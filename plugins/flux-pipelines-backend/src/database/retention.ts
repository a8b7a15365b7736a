import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationClaims } from '../notifications/NotificationClaims';
import { CanaryStore } from './CanaryStore';
import { ObservationStore } from './ObservationStore';

/** How long observations are kept when `fluxPipelines.retention` does not say. */
export const DEFAULT_OBSERVATION_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the retention task deletes. */
export interface RetentionSettings {
  /** Observations older than this many days are deleted; deployments are kept. */
  observationDays: number;
}

/** Reads `fluxPipelines.retention`; throws on a value that is not a positive number. */
export function readRetention(config: Config): RetentionSettings {
  const days = config.getOptionalNumber(
    'fluxPipelines.retention.observations.days',
  );
  if (days !== undefined && !(days > 0 && Number.isFinite(days))) {
    throw new Error(
      `fluxPipelines.retention.observations.days must be a positive number of days, got ${days}`,
    );
  }
  return { observationDays: days ?? DEFAULT_OBSERVATION_RETENTION_DAYS };
}

/** What the retention task deletes from: observations, and with them canary phases and notification claims. */
export interface RetainedStores {
  observations: Pick<ObservationStore, 'deleteOlderThan'>;
  /** Phases of canary revisions (each canary's latest is kept). */
  canaries?: Pick<CanaryStore, 'deleteOlderThan'>;
  /** Which states were notified (a state that old is not announced again). */
  claims?: Pick<NotificationClaims, 'deleteOlderThan'>;
}

/**
 * Deletes the observations, canary phases and notification claims older
 * than the retention time; returns how many observations.
 */
export async function applyRetention(
  options: RetainedStores & {
    settings: RetentionSettings;
    logger: LoggerService;
    now?: Date;
  },
): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(
    now.getTime() - options.settings.observationDays * DAY_MS,
  );
  const deleted = await options.observations.deleteOlderThan(cutoff);
  const phases = (await options.canaries?.deleteOlderThan(cutoff)) ?? 0;
  const claims = (await options.claims?.deleteOlderThan(cutoff)) ?? 0;
  options.logger.info(
    `Deleted ${deleted} observations, ${phases} canary phases and ${claims} notification claims older than ${cutoff.toISOString()} (retention ${
      options.settings.observationDays
    } days)`,
  );
  return deleted;
}

/**
 * Schedules the daily retention task: one run per day across all replicas
 * (scope global), the first a few minutes after start.
 */
export async function scheduleRetention(
  options: RetainedStores & {
    scheduler: SchedulerService;
    config: Config;
    logger: LoggerService;
  },
): Promise<void> {
  const settings = readRetention(options.config);
  await options.scheduler.scheduleTask({
    id: 'flux-pipelines-retention',
    scope: 'global',
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      await applyRetention({ ...options, settings });
    },
  });
}
