import {
  Pipeline,
  Promotion,
  PromotionFileDiff,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { Secret } from '../clusters/ClusterDefinition';

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
  /**
   * What the strategy's `secretRef` Secret holds, read for this promotion
   * only (Secrets rotate): a token for git and the SCM API, or the
   * notification's HMAC key.
   */
  credentials?: PromotionCredentials;
}

/** Credentials from a pipeline's `secretRef`; never logged or stored. */
export interface PromotionCredentials {
  /** Overrides the integration's token for the strategy's repository. */
  token?: Secret;
  /** Signs notifications when app-config sets no key. */
  hmacKey?: Secret;
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
