import { GateStatus, GatesSpec } from './gates';
import { Promotion, PromotionHold, PromotionSpec } from './promotions';

/** The outcome of one deployment of one version to one target. */
export type DeploymentStatus =
  | 'progressing'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'superseded'
  | 'unknown';

/**
 * What happened to one version of a Flux object on one target: the
 * correlator's per-target deployment state.
 */
export interface TargetDeployment {
  cluster: string;
  namespace: string;
  kind: 'HelmRelease' | 'Kustomization';
  name: string;
  /** Chart version (HelmRelease) or source revision (Kustomization). */
  chartVersion: string;
  appVersion?: string;
  digest?: string;
  status: DeploymentStatus;
  /** The last message: the failure's text (with Helm logs) or the success line. */
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** Time of the last observation that changed this deployment. */
  updatedAt: string;
  /**
   * Only events say this version succeeded; the object's own status (Helm's
   * release history, a Kustomization's last applied revision) has not
   * confirmed it. Such a version is not deployed, not promotable and no
   * rollback candidate until the status confirms it. Absent when confirmed.
   */
  unconfirmed?: boolean;
  /**
   * The source revision this deployment came from, as Flux reports it: for a
   * Kustomization its revision (`main@sha1:<sha>`), for a HelmRelease the
   * revision of the Kustomization that applied it when that version started
   * (else the chart's OCI digest `sha256:...`). Absent when unknown or when
   * what Flux reported does not parse as a revision.
   */
  sourceRevision?: string;
  /**
   * A web link to the commit of `sourceRevision`: only for a git commit that
   * was found in a repository the backend knows for this pipeline (its
   * promotion destination), over https (or http to a loopback host when
   * `fluxPipelines.promotion.allowInsecureHttp` is set).
   */
  commitUrl?: string;
  /** Who made the change, when known (see {@link ChangeAuthor}). */
  changedBy?: ChangeAuthor;
}

/**
 * Who made a deployment's change: the person who asked for the promotion of
 * ours that put the version there, else the author of the commit in git.
 */
export interface ChangeAuthor {
  /** A display name: the user's name, `automatic promotion`, or the commit's author. */
  name: string;
  /** The requester's entity ref, for a promotion asked by a user. */
  entityRef?: string;
  /** Where the name comes from. */
  via: 'promotion' | 'commit';
}

/** Where an application runs: one namespace on one cluster. */
export interface PipelineTarget {
  cluster: string;
  namespace: string;
}

/** One environment of a pipeline, in promotion order. */
export interface PipelineEnvironment {
  name: string;
  targets: PipelineTarget[];
  /** Overrides the pipeline's promotion settings for promotions into this environment. */
  promotion?: PromotionSpec;
  /** Gates every promotion into this environment must pass (see {@link GatesSpec}). */
  gates?: GatesSpec;
}

/** What a pipeline deploys. */
export interface PipelineAppRef {
  apiVersion: string;
  kind: 'HelmRelease' | 'Kustomization';
  name: string;
}

/** The API version assumed for a pipeline's app when none is given. */
export const DEFAULT_APP_API_VERSIONS: Record<PipelineAppRef['kind'], string> =
  {
    HelmRelease: 'helm.toolkit.fluxcd.io/v2',
    Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  };

/** A pipeline: an application moving through ordered environments. */
export interface Pipeline {
  namespace: string;
  name: string;
  appRef: PipelineAppRef;
  environments: PipelineEnvironment[];
  /** How versions are promoted; none means promotion is not set up. */
  promotion?: PromotionSpec;
  /** Where the definition came from. */
  source: 'config' | 'cluster';
}

/** Why a Weave GitOps `Pipeline` object on a cluster did not become a pipeline. */
export type IgnoredPipelineReason =
  /** Its cluster and namespace are not in `fluxPipelines.pipelineSources`. */
  | 'not-a-pipeline-source'
  /** A Pipeline of the same namespace and name from another cluster is stored. */
  | 'owned-by-another-cluster'
  /** `fluxPipelines.pipelines` defines one of the same namespace and name. */
  | 'configured-pipeline-wins'
  /** The object is not a usable pipeline. */
  | 'invalid';

/** A `Pipeline` object on a cluster that the backend ignores, and why. */
export interface IgnoredPipeline {
  namespace: string;
  name: string;
  reason: IgnoredPipelineReason;
  /** The rule that refused it, for an operator. */
  message: string;
}

/** Per-cluster connection state, as served by `GET /health`. */
export interface ClusterHealth {
  name: string;
  connected: boolean;
  lastEventAt?: string;
  lastError?: string;
  /** How many `Pipeline` objects on this cluster are ignored; absent when none. */
  ignoredPipelineCount?: number;
  /** The ignored `Pipeline` objects (at most 50), ordered by namespace and name. */
  ignoredPipelines?: IgnoredPipeline[];
}

/** The body of `GET /api/flux-pipelines/health`. */
export interface HealthResponse {
  status: 'ok';
  clusters: ClusterHealth[];
}

/** A target with what the backend knows of its deployments. */
export interface TargetStatus extends PipelineTarget {
  /** The most recent deployment attempt, whatever its outcome. */
  latest?: TargetDeployment;
  /** The version running now: the newest deployment that succeeded. */
  deployed?: TargetDeployment;
}

/** A version that could be promoted into an environment next. */
export interface PromotableVersion {
  version: string;
  appVersion?: string;
}

/**
 * How the version an environment runs relates to the one the previous
 * environment runs, by chart version order (SemVer; deploy order where a
 * version does not parse).
 */
export interface EnvironmentRelation {
  /** The previous environment. */
  upstream: string;
  /** `ahead`: this environment runs a newer version than `upstream`; `behind`: an older one. */
  position: 'ahead' | 'behind' | 'same';
  /**
   * How many versions apart: the distinct versions that ran in either
   * environment, newer than the older of the two running versions, up to the
   * newer one. 0 when `same`.
   */
  versions: number;
}

/**
 * What an environment is doing now, the one source of its card's state, its
 * promote button and the button's reason, in this order of precedence:
 *
 * - `awaiting-approval`: a promotion of `version` into it waits for approval;
 * - `deploying`: a promotion of `version` runs, or a target deploys it (when
 *   it is the promotable version, or nothing is promotable);
 * - `promotable`: `version` can be promoted into it;
 * - `confirming`: the previous environment runs (or deploys) `version`,
 *   newer than this one's, but has not confirmed it yet (its status, its Helm
 *   tests, or some of its targets);
 * - `ahead`: it runs a newer version than the previous environment;
 * - `up-to-date`: it runs the newest version that succeeded in the previous
 *   environment (or is the first environment, with nothing to promote).
 */
export interface EnvironmentActivity {
  kind:
    | 'awaiting-approval'
    | 'deploying'
    | 'promotable'
    | 'confirming'
    | 'ahead'
    | 'up-to-date';
  version?: string;
}

/** An environment with the deployment status of each target. */
export interface EnvironmentStatus {
  name: string;
  targets: TargetStatus[];
  /** The version the environment runs (the first target's running version). */
  running?: string;
  /** How {@link running} relates to the previous environment's; absent for the first, or when either runs nothing. */
  relation?: EnvironmentRelation;
  /**
   * Earlier environments the running version did not pass through (a hand
   * commit further down the pipeline); absent when none.
   */
  skipped?: string[];
  /**
   * When the current run of failures here began, while the newest version on
   * some target failed: the end (else the start) of the oldest of the
   * versions that failed here one after another, newest first, up to one that
   * did not (versions that never came here are passed over). Absent otherwise.
   */
  failingSince?: string;
  /** What it is doing now; set once everything else about it is known. */
  activity?: EnvironmentActivity;
  /**
   * The newest version that succeeded on every target of the previous
   * environment, when this environment does not run it yet everywhere.
   * The first environment has none.
   */
  promotable?: PromotableVersion;
  /** The newest promotion into this environment (running, or the last one). */
  promotion?: Promotion;
  /** Versions that succeeded here before and could be rolled back to, newest first. */
  rollbackCandidates?: PromotableVersion[];
  /** Automatic promotion into this environment is held since a rollback. */
  hold?: PromotionHold;
  /** Whether promotion into this environment waits for approval. */
  manual?: boolean;
  /**
   * The environment is protected by app-config, and its approver must be
   * someone other than the person who asked for the promotion.
   */
  separateApprover?: boolean;
  /**
   * The state of each gate of this environment for the {@link promotable}
   * version; absent when the environment has no gates or nothing is
   * promotable.
   */
  gates?: GateStatus[];
}

/** A pipeline with the deployment status of each target. */
export interface PipelineWithStatus extends Omit<Pipeline, 'environments'> {
  environments: EnvironmentStatus[];
}

/** The body of `GET /api/flux-pipelines/pipelines`. */
export interface PipelinesResponse {
  items: PipelineWithStatus[];
}
