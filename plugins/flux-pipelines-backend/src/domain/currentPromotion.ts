import {
  FINAL_PROMOTION_STATES,
  Promotion,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { isDowngrade } from './versionOrder';

/** States in which nothing was changed yet: the promotion waits to run. */
const NOT_STARTED: PromotionState[] = ['requested', 'waiting-approval'];

/**
 * Whether the pipeline asked for this rollback itself (automatic rollback
 * after a promoted version failed): it brings the repository back to what
 * the failure left running, so it runs even where that version runs now.
 */
export function isAutomaticRollback(
  promotion: Pick<Promotion, 'trigger' | 'requestedBy'>,
): boolean {
  return (
    promotion.trigger === 'rollback' && promotion.requestedBy === 'pipeline'
  );
}

/**
 * Whether a promotion is current for what its environment runs now
 * (`running`; undefined where it runs nothing known), so the card may show it:
 * - in flight, unless it would go back from what runs (a downgrade; a
 *   rollback is one by design), or it has not started and the environment
 *   already runs its version (unless it is an automatic rollback);
 * - final, when its version is what runs, or it failed and the environment
 *   still runs what it ran when the promotion was asked for.
 * A promotion the environment has moved past (a hand commit, a newer
 * deployment) is history, not the environment's state.
 */
export function isCurrentPromotion(
  promotion: Pick<
    Promotion,
    'state' | 'version' | 'previousVersion' | 'trigger' | 'requestedBy'
  >,
  running: string | undefined,
): boolean {
  const { state, version } = promotion;
  if (!FINAL_PROMOTION_STATES.includes(state)) {
    if (
      NOT_STARTED.includes(state) &&
      version === running &&
      !isAutomaticRollback(promotion)
    )
      return false;
    return promotion.trigger === 'rollback' || !isDowngrade(running, version);
  }
  if (version === running) return true;
  return state === 'failed' && promotion.previousVersion === running;
}

/**
 * What the card shows of an environment's promotions (newest first): the
 * newest, while it is current for what the environment runs.
 */
export function currentPromotion(
  promotions: Promotion[],
  running: string | undefined,
): Promotion | undefined {
  const newest = promotions[0];
  return newest && isCurrentPromotion(newest, running) ? newest : undefined;
}
