import {
  Promotion,
  PromotionHold,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/** What a caller gives to create a promotion; the store adds id and times. */
export type NewPromotion = Omit<
  Promotion,
  'id' | 'requestedAt' | 'updatedAt'
> & {
  /**
   * Makes the promotion once-only, like an automatic promotion's version:
   * no second promotion with this key is ever created (e.g. the automatic
   * rollback after one failed promotion).
   */
  onceKey?: string;
};

/** The fields a state change may set. */
export type PromotionChange = Partial<
  Pick<
    Promotion,
    | 'state'
    | 'approvedBy'
    | 'pullRequestUrl'
    | 'commitSha'
    | 'error'
    | 'overriddenGates'
  >
>;

/** Identifies a pipeline. */
export interface PipelineRef {
  namespace: string;
  name: string;
}

/**
 * Durable promotion records and rollback holds. "One running promotion per
 * environment" and "one automatic promotion per version and environment"
 * hold across concurrent requests and replicas.
 */
export interface PromotionStore {
  /**
   * Creates a promotion unless the environment already has a running one (or,
   * for an automatic promotion, unless this version was promoted
   * automatically before). Returns the promotion that holds the slot and
   * whether it was created by this call.
   */
  create(
    input: NewPromotion,
  ): Promise<{ promotion: Promotion; created: boolean }>;
  get(id: string): Promise<Promotion | undefined>;
  /**
   * Changes a promotion if it is in one of the `from` states (compare and
   * set, so two replicas cannot both move it on). Returns the changed
   * promotion, or undefined when it was not in those states.
   */
  update(
    id: string,
    from: readonly PromotionState[],
    change: PromotionChange,
  ): Promise<Promotion | undefined>;
  /** Promotions of a pipeline, newest first. */
  list(
    pipeline: PipelineRef,
    options?: { environment?: string; version?: string; limit?: number },
  ): Promise<Promotion[]>;
  /** Every promotion that is not final yet, oldest first (work to follow up). */
  listActive(): Promise<Promotion[]>;
  /** Holds automatic promotion into an environment (after a rollback). */
  setHold(
    pipeline: PipelineRef,
    environment: string,
    hold: PromotionHold,
  ): Promise<void>;
  /** Returns whether there was a hold to release. */
  releaseHold(pipeline: PipelineRef, environment: string): Promise<boolean>;
  /** The holds of a pipeline, by environment. */
  holds(pipeline: PipelineRef): Promise<Map<string, PromotionHold>>;
}
