import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Pipeline,
  Promotion,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { AppLabelStore } from '../database/AppLabelStore';
import { CanaryStore } from '../database/CanaryStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { ObservationStore } from '../database/ObservationStore';
import { PromotionStore } from '../database/PromotionStore';
import { Timers } from './GateAlarm';
import {
  PromotionAuthor,
  PromotionCredentials,
  PromotionStrategy,
} from './types';

/** Who asked, as the audit log and the records name them. */
export interface PromotionActor {
  /** The user's entity ref, or `pipeline` for automatic promotions. */
  ref: string;
}

/** Everything promotion needs: its records, the deployments, the strategies. */
export interface PromotionServiceOptions {
  store: PromotionStore;
  deployments: DeploymentStore;
  /**
   * The observation log: where an app runs Helm tests, a version counts as
   * succeeded only once its tests passed.
   */
  observations?: Pick<ObservationStore, 'listForObject'>;
  /** Flagger canary verdicts, for the health gate (none known without it). */
  canaries?: Pick<CanaryStore, 'verdict'>;
  /** Tells which HelmReleases have `spec.test.enable` (see HELM_TESTS_LABEL). */
  appLabels?: Pick<AppLabelStore, 'findByLabel'>;
  /** Every pipeline, with configured promotion overrides applied. */
  listPipelines: () => Promise<Pipeline[]>;
  /** The strategy for a spec; throws for one that cannot be used. */
  strategyFor: (spec: PromotionStrategySpec) => PromotionStrategy;
  /**
   * Refuses (throws a NotAllowedError naming the rule) a promotion whose
   * strategy would write where app-config does not allow, before it is
   * previewed or recorded (see checkStrategyTarget).
   */
  checkTarget?: (
    pipeline: Pipeline,
    spec: PromotionStrategySpec,
    version: string,
  ) => void;
  /** Name and email for commits made on behalf of a user (or `pipeline`). */
  resolveAuthor: (ref: string) => Promise<PromotionAuthor>;
  /**
   * The credentials of a strategy's `secretRef`, read anew for every use
   * (see PipelineSecrets); throws when they cannot be read.
   */
  credentialsFor?: (
    pipeline: Pipeline,
    spec: PromotionStrategySpec,
  ) => Promise<PromotionCredentials | undefined>;
  logger: LoggerService;
  /** Told about every change of a promotion (signals, audit). */
  onChange?: (promotion: Promotion) => void;
  /** Only successes this recent trigger automatic promotion; default 1 hour. */
  automaticWindowMs?: number;
  /** An in-progress promotion this old is assumed abandoned by a crashed replica. */
  staleAfterMs?: number;
  now?: () => Date;
  /** Timers of the same clock as `now`, for re-evaluating gates when they change. */
  timers?: Timers;
}
