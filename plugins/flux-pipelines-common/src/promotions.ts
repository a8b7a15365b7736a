import { GateStatus } from './gates';

/**
 * How a version is promoted into an environment. The shapes follow the Weave
 * GitOps `Pipeline` `spec.promotion.strategy` (pull-request, notification),
 * plus `commit`, which pushes straight to the GitOps repository's branch.
 */
export type PromotionStrategySpec =
  | PullRequestStrategySpec
  | CommitStrategySpec
  | NotificationStrategySpec;

/** Where in the GitOps repository the version lives (for the git strategies). */
export interface GitFileSelector {
  /**
   * A file (relative to the repository root) and a dotted field path in it,
   * e.g. `apps/test/podinfo.yaml` and `spec.chart.spec.version`. Without
   * them, every line marked `# {"$promotion": "<ns>:<pipeline>:<env>"}` in
   * the repository is changed (the Weave GitOps convention).
   */
  path?: string;
  field?: string;
}

/** Open (or update) a pull request against the GitOps repository. */
export interface PullRequestStrategySpec extends GitFileSelector {
  type: 'pull-request';
  provider: 'github' | 'gitlab' | 'bitbucket-server';
  /** The repository's web or clone URL, e.g. https://github.com/org/fleet. */
  url: string;
  baseBranch: string;
  /**
   * A Secret in the pipeline's namespace, on the cluster its Pipeline object
   * comes from, with a `token` (or `password`) key (WGE `secretRef`). The
   * token is used instead of the integration's for this repository.
   */
  secretRef?: string;
}

/** Commit and push to a branch of the GitOps repository. */
export interface CommitStrategySpec extends GitFileSelector {
  type: 'commit';
  /** Clone URL; must be allowed by an `integrations` entry or `fluxPipelines.promotion.repositories`. */
  url: string;
  branch: string;
  /** As for pull requests: a Secret with a `token` (or `password`) key. */
  secretRef?: string;
}

/** POST a signed promotion event to a URL from configuration. */
export interface NotificationStrategySpec {
  type: 'notification';
  /** Set from app-config only, never from a cluster object. */
  url?: string;
  /**
   * A Secret in the pipeline's namespace (WGE `strategy.secretRef`) whose
   * `hmac-key` signs the notification when app-config sets no key.
   */
  secretRef?: string;
}

/** Promotion settings of a pipeline, or of one environment (which wins). */
export interface PromotionSpec {
  /** Promotion into the environment waits for someone to approve it. */
  manual?: boolean;
  /**
   * Whether a version that succeeded in the previous environment is promoted
   * without anyone asking (into a `manual` environment: it then waits for
   * approval). Default true, as in Weave GitOps; false leaves promotion to
   * the promote button.
   */
  automatic?: boolean;
  strategy?: PromotionStrategySpec;
  /**
   * `automatic: true`: when a version promoted into the environment fails
   * there (failed release, Helm rollback), the previous known-good version
   * is promoted back and automatic promotion held. A failed Flagger canary
   * counts only with `onCanaryFailure: true` too (whoever may create a
   * Canary in a target namespace can make one fail). Default off.
   */
  rollback?: { automatic?: boolean; onCanaryFailure?: boolean };
  /**
   * Set only by app-config (`fluxPipelines.promotion.protectedEnvironments`),
   * never by a Pipeline object: every promotion into the environment,
   * rollbacks included, waits for approval, whatever the pipeline says.
   */
  protected?: boolean;
  /** With `protected`: the approver must not be the person who asked. */
  separateApprover?: boolean;
}

/**
 * The life of a promotion:
 * requested → waiting-approval → in-progress → pr-open | committed | notified
 * → merged → deployed | failed | superseded.
 */
export type PromotionState =
  | 'requested'
  | 'waiting-approval'
  | 'in-progress'
  | 'pr-open'
  | 'committed'
  | 'notified'
  | 'merged'
  | 'deployed'
  | 'failed'
  | 'superseded';

/** States after which a promotion never changes again. */
export const FINAL_PROMOTION_STATES: readonly PromotionState[] = [
  'deployed',
  'failed',
  'superseded',
];

/** Who or what asked for a promotion. */
export type PromotionTrigger = 'manual' | 'automatic' | 'rollback';

/** One promotion of a version into an environment, as stored. */
export interface Promotion {
  id: string;
  pipelineNamespace: string;
  pipelineName: string;
  /** The environment the version goes to. */
  environment: string;
  /** The environment it succeeded in first; none for a rollback. */
  fromEnvironment?: string;
  /** Chart version (or source revision) promoted. */
  version: string;
  appVersion?: string;
  /** What the environment ran when the promotion was asked for. */
  previousVersion?: string;
  trigger: PromotionTrigger;
  strategy: PromotionStrategySpec['type'];
  state: PromotionState;
  /** Entity ref of the user, or `pipeline` for automatic promotions. */
  requestedBy: string;
  approvedBy?: string;
  requestedAt: string;
  updatedAt: string;
  pullRequestUrl?: string;
  commitSha?: string;
  error?: string;
  /**
   * Gates that refused this promotion and were overridden (by a user with
   * `flux-pipelines.promotion.override`, when asking or approving).
   */
  overriddenGates?: GateStatus[];
  /**
   * Why it was asked for when no person asked, e.g. `automatic rollback:
   * 6.5.2 failed in prod (canary failed on main/prod)`.
   */
  reason?: string;
}

/** The body of `POST /pipelines/:namespace/:name/promotions`. */
export interface PromotionRequest {
  environment: string;
  version: string;
  /** The catalog entity the promote button is on; permissions are checked against it. */
  entityRef?: string;
  /** Roll the environment back to a version it ran before; holds automatic promotion into it. */
  rollback?: boolean;
  /**
   * Promote through failing gates; needs `flux-pipelines.promotion.override`
   * on every entity linking the pipeline, and is audited.
   */
  override?: boolean;
}

/** One changed file of a git strategy, as a unified diff. */
export interface PromotionFileDiff {
  path: string;
  diff: string;
}

/** A version's identity, for the preview. */
export interface PromotionVersionInfo {
  version: string;
  appVersion?: string;
  /** Values digest (`sha256:…`) when Flux reported one. */
  digest?: string;
}

/** The body of `GET /pipelines/:namespace/:name/promotions/preview`. */
export interface PromotionPreview {
  environment: string;
  fromEnvironment?: string;
  strategy: PromotionStrategySpec['type'];
  manual: boolean;
  /** What the environment runs now. */
  from?: PromotionVersionInfo;
  to: PromotionVersionInfo;
  /** For git strategies: what the change would do to the repository. */
  files?: PromotionFileDiff[];
  /** The gates of the environment for this version (absent for none). */
  gates?: GateStatus[];
}

/** The body of `GET /pipelines/:namespace/:name/promotions`. */
export interface PromotionsResponse {
  /** Newest first. */
  items: Promotion[];
}

/** A hold on automatic promotion into an environment, set by a rollback. */
export interface PromotionHold {
  version: string;
  heldBy: string;
  heldAt: string;
}
