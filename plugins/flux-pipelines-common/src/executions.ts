import { Observation } from './observation';
import { Promotion } from './promotions';
import { TargetDeployment } from './types';

/**
 * Where one version stands in one environment, from the deployments of that
 * version on the environment's targets. `pending`: not reached yet.
 */
export type ExecutionEnvironmentState =
  | 'pending'
  | 'progressing'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'superseded';

/**
 * Where one version's journey stands as a whole: `succeeded` once it
 * succeeded on every target of the last environment; `progressing` while it
 * is on its way (deploying, or waiting to be promoted); `superseded` when a
 * newer version replaced it before it reached the end.
 */
export type ExecutionStatus =
  | 'progressing'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'superseded';

/** The statuses `GET .../executions?status=` accepts. */
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'progressing',
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
  /** From first appearance in the first environment to success in the last one. */
  leadTimeMs?: number;
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
