import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Knex } from 'knex';
import { DatabaseRevisionStore } from '../database/DatabaseRevisionStore';
import { DeploymentStore } from '../database/DeploymentStore';
import {
  DEFAULT_READ_MODEL_MAX_TARGETS,
  WorkingSetReadModel,
} from './WorkingSetReadModel';

/** `fluxPipelines.readModel`. */
export interface ReadModelSettings {
  enabled: boolean;
  maxTargets: number;
}

/** Reads `fluxPipelines.readModel`; on by default. */
export function readReadModelSettings(config: Config): ReadModelSettings {
  const maxTargets =
    config.getOptionalNumber('fluxPipelines.readModel.maxTargets') ??
    DEFAULT_READ_MODEL_MAX_TARGETS;
  if (!(Number.isInteger(maxTargets) && maxTargets > 0)) {
    throw new Error(
      `fluxPipelines.readModel.maxTargets must be a positive whole number, got ${maxTargets}`,
    );
  }
  return {
    enabled:
      config.getOptionalBoolean('fluxPipelines.readModel.enabled') ?? true,
    maxTargets,
  };
}

/**
 * The deployments the pages read: the in-memory read model of the targets'
 * working sets (see {@link WorkingSetReadModel}), or the database itself when
 * `fluxPipelines.readModel.enabled` is false.
 */
export function setupReadModel(options: {
  config: Config;
  knex: Knex;
  deployments: DeploymentStore;
  logger: LoggerService;
}): DeploymentStore {
  const settings = readReadModelSettings(options.config);
  options.logger.info(
    settings.enabled
      ? `Pipelines pages answer from the in-memory read model (up to ${settings.maxTargets} objects)`
      : 'Pipelines pages read the database (fluxPipelines.readModel.enabled is false)',
  );
  if (!settings.enabled) return options.deployments;
  return new WorkingSetReadModel({
    deployments: options.deployments,
    revisions: new DatabaseRevisionStore(options.knex),
    maxTargets: settings.maxTargets,
  });
}
