import { Observation } from './observation';
import { Promotion } from './promotions';
import { TargetDeployment } from './types';

/**
 * Where one version stands in one environment, as a person reads it:
 *
 * - `waiting`: not promoted here yet, and nothing is deploying it here;
 * - `awaiting-approval`: a promotion of it into this environment waits for approval;
 * - `deploying`: a promotion of it here is running (a commit, an open pull
 *   request), or its targets are progressing on it, or some still lack it;
 * - `succeeded`: it succeeded on every target and runs there;
 * - `failed`: it failed on a target;
 * - `rolled-back`: it failed and the environment went back to an older
 *   version (see {@link ExecutionEnvironment.rolledBackTo});
 * - `superseded`: it succeeded here and a newer version replaced it since;
 * - `skipped`: a later environment got it without it passing through this one
 *   (a hand commit further down the pipeline).
 */
export type ExecutionEnvironmentState =
  | 'waiting'
  | 'awaiting-approval'
  | 'deploying'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'superseded'
  | 'skipped';

/**
 * Where one version's journey stands as a whole: `succeeded` once it
 * succeeded on every target of the last environment; `failed` or
 * `rolled-back` when it did somewhere; `superseded` when a newer version
 * replaced it before it reached the end; else `deploying` while it deploys
 * somewhere, `awaiting-approval` while a promotion of it waits for approval,
 * and `waiting` while it only waits to be promoted.
 */
export type ExecutionStatus = Exclude<ExecutionEnvironmentState, 'skipped'>;

/** The statuses `GET .../executions?status=` accepts. */
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'waiting',
  'awaiting-approval',
  'deploying',
  'succeeded',
  'failed',
  'rolled-back',
  'superseded',
];

/** One environment of an execution. */
export interface ExecutionEnvironment {
  name: string;
  state: ExecutionEnvironmentState;
  /** First start of this version on any target of the environment. */
  startedAt?: string;
  /** Last finish on its targets, once every target has finished. */
  finishedAt?: string;
  durationMs?: number;
  /** This version's deployment on each target that it reached. */
  deployments: TargetDeployment[];
  /** With `rolled-back`: the version the environment went back to. */
  rolledBackTo?: string;
}

/** One version's journey through a pipeline's environments. */
export interface PipelineExecution {
  chartVersion: string;
  appVersion?: string;
  status: ExecutionStatus;
  /** First appearance in the first environment (or, if it skipped it, anywhere). */
  startedAt?: string;
  /** Success on every target of the last environment, when reached. */
  finishedAt?: string;
  /**
   * From first appearance in the first environment to success in the last
   * one; none when its start in the first environment was not observed
   * (deployed before watching began, or it skipped the first environment).
   */
  leadTimeMs?: number;
  /** Environments it did not pass through on its way to a later one; absent when none. */
  skipped?: string[];
  /** Every environment of the pipeline, in pipeline order. */
  environments: ExecutionEnvironment[];
  /** The promotions of this version, oldest first. */
  promotions?: Promotion[];
}

/** The body of `GET /api/flux-pipelines/pipelines/:namespace/:name/executions`. */
export interface ExecutionsResponse {
  /** Newest first, by start. */
  items: PipelineExecution[];
  /** How many executions match, over all pages. */
  totalCount: number;
  limit: number;
  offset: number;
}

/** The body of `GET /api/flux-pipelines/pipelines/:namespace/:name/environments/:env/events`. */
export interface EnvironmentEventsResponse {
  /** The observations of the environment's targets, newest first. */
  items: Observation[];
}
