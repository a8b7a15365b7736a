import {
  Pipeline,
  Promotion,
  PromotionFileDiff,
  PromotionStrategySpec,
} from '@internal/plugin-flux-pipelines-common';

/** The person (or the pipeline) a git change is authored by. */
export interface PromotionAuthor {
  name: string;
  email: string;
}

/** Everything a strategy needs to carry out one promotion. */
export interface PromotionContext {
  pipeline: Pipeline;
  /** The promotion record (its id, target environment, version, trigger). */
  promotion: Promotion;
  /** The effective strategy of the target environment. */
  spec: PromotionStrategySpec;
  author: PromotionAuthor;
}

/** What a strategy reports after carrying out a promotion. */
export type PromotionOutcome =
  | { state: 'pr-open'; pullRequestUrl: string }
  | { state: 'committed'; commitSha: string }
  | { state: 'notified' };

/** Where a pull request stands, when followed after it was opened. */
export type PullRequestState = 'open' | 'merged' | 'closed';

/**
 * One way of promoting: by pull request, by commit, or by notification.
 * Implementations are idempotent: carrying out the same promotion twice leaves
 * one change (one commit, one pull request).
 */
export interface PromotionStrategy {
  /** What the promotion would change, without changing anything. */
  preview(context: PromotionContext): Promise<PromotionFileDiff[] | undefined>;
  promote(context: PromotionContext): Promise<PromotionOutcome>;
  /** For pull requests: whether it was merged or closed since. */
  follow?(
    context: PromotionContext,
    pullRequestUrl: string,
  ): Promise<PullRequestState>;
}
