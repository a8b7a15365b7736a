import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { DatabaseRevisionStore } from '../database/DatabaseRevisionStore';
import { AppLabelStore } from '../database/AppLabelStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { PipelineStore } from '../database/PipelineStore';
import { PromotionStore } from '../database/PromotionStore';
import {
  LABELS_KEY,
  PIPELINES_KEY,
  deploymentsKey,
  promotionsKey,
} from '../database/RevisionStore';
import { objectKey, pipelineRefs } from '../domain/objectKey';
import { AppLabelReadModel } from './AppLabelReadModel';
import { PipelineReadModel } from './PipelineReadModel';
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
  pipelines: Required<PipelineStore>;
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
 * The in-memory read model of the pipelines pages: the stored pipelines, the
 * targets' working sets (see {@link WorkingSetReadModel}), the apps' labels
 * and the pipelines' promotions and holds, each checked per request against
 * the database's change counters (one query while nothing changed, see
 * {@link RevisionSnapshot}); or the database stores themselves when
 * `fluxPipelines.readModel.enabled` is false.
 */
export function setupReadModel(options: {
  config: Config;
  knex: Knex;
  pipelines: Required<PipelineStore>;
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
  // Every page lists pipelines and most look up labels: read with the
  // global revision at each request's start.
  const revisions = new RevisionSnapshot(
    new DatabaseRevisionStore(options.knex),
    { startKeys: [LABELS_KEY, PIPELINES_KEY] },
  );
  return {
    pipelines: new PipelineReadModel({
      pipelines: options.pipelines,
      revisions,
    }),
    deployments: new WorkingSetReadModel({
      deployments: options.deployments,
      revisions,
      maxTargets: settings.maxTargets,
    }),
    appLabels: new AppLabelReadModel({ labels: options.appLabels, revisions }),
    promotions: new PromotionReadModel({ promotions, revisions }),
    run: (work, runOptions) => revisions.run(work, runOptions),
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
