import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { DatabaseRevisionStore } from '../database/DatabaseRevisionStore';
import { AppLabelStore } from '../database/AppLabelStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { PromotionStore } from '../database/PromotionStore';
import {
  LABELS_KEY,
  deploymentsKey,
  promotionsKey,
} from '../database/RevisionStore';
import { objectKey, pipelineRefs } from '../domain/objectKey';
import { AppLabelReadModel } from './AppLabelReadModel';
import { PromotionReadModel } from './PromotionReadModel';
import { RevisionSnapshot } from './RevisionSnapshot';
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

/** The stores the pipelines pages (and the rules they show) read. */
export interface ReadModel {
  deployments: DeploymentStore;
  appLabels: AppLabelStore;
  promotions: PromotionStore;
  /**
   * Runs one request, reading each revision it needs once; with `bypass`,
   * from the database alone (today's code path, for the exactness check).
   */
  run<T>(work: () => Promise<T>, options?: { bypass?: boolean }): Promise<T>;
  /**
   * Within {@link ReadModel.run}: reads the revisions the pipelines' pages
   * need (their targets' deployments, their promotions) in one query.
   */
  prefetch(pipelines: Pipeline[]): Promise<void>;
}

/**
 * The in-memory read model of the pipelines pages: the targets' working sets
 * (see {@link WorkingSetReadModel}), the apps' labels and the pipelines'
 * promotions and holds, each checked per request against the database's
 * change counters; or the database stores themselves when
 * `fluxPipelines.readModel.enabled` is false.
 */
export function setupReadModel(options: {
  config: Config;
  knex: Knex;
  deployments: DeploymentStore;
  appLabels: AppLabelStore;
  logger: LoggerService;
}): ReadModel {
  const settings = readReadModelSettings(options.config);
  const promotions = new DatabasePromotionStore(options.knex);
  options.logger.info(
    settings.enabled
      ? `Pipelines pages answer from the in-memory read model (up to ${settings.maxTargets} objects)`
      : 'Pipelines pages read the database (fluxPipelines.readModel.enabled is false)',
  );
  if (!settings.enabled) {
    return {
      ...options,
      promotions,
      run: work => work(),
      prefetch: async () => {},
    };
  }
  const revisions = new RevisionSnapshot(
    new DatabaseRevisionStore(options.knex),
  );
  return {
    deployments: new WorkingSetReadModel({
      deployments: options.deployments,
      revisions,
      maxTargets: settings.maxTargets,
    }),
    appLabels: new AppLabelReadModel({ labels: options.appLabels, revisions }),
    promotions: new PromotionReadModel({ promotions, revisions }),
    // Every page looks up labels: their revision is read alongside its first query.
    run: (work, runOptions) =>
      revisions.run(() => {
        revisions.read([LABELS_KEY]).catch(() => {});
        return work();
      }, runOptions),
    prefetch: async pipelines => {
      await revisions.read(
        pipelines.flatMap(p => [
          promotionsKey(p),
          ...pipelineRefs(p).map(ref => deploymentsKey(objectKey(ref))),
        ]),
      );
    },
  };
}
