import {
  Pipeline,
  Promotion,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { NewPromotion, PromotionChange } from '../database/PromotionStore';
import { Analysis } from './PromotionRules';
import { PromotionServiceOptions } from './promotionOptions';

/** States a newer promotion into the same environment may supersede. */
const SUPERSEDABLE: PromotionState[] = [
  'requested',
  'waiting-approval',
  'pr-open',
  'committed',
  'notified',
  'merged',
];

/**
 * The promotion records: drafts them from an analysis, creates them (a
 * newer one superseding an older one that has not finished), and moves their
 * states through the store, telling `onChange` of every change.
 */
export class PromotionRecords {
  private readonly now: () => Date;

  constructor(private readonly options: PromotionServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The promotion an analysis leads to, before it is stored. */
  draft(
    pipeline: Pipeline,
    environment: string,
    analysis: Analysis,
    rest: Pick<NewPromotion, 'trigger' | 'requestedBy' | 'state'> &
      Pick<NewPromotion, 'reason' | 'onceKey'>,
  ): Promotion & NewPromotion {
    const time = this.now().toISOString();
    return {
      id: 'draft',
      requestedAt: time,
      updatedAt: time,
      pipelineNamespace: pipeline.namespace,
      pipelineName: pipeline.name,
      environment,
      ...(analysis.fromEnvironment && rest.trigger !== 'rollback'
        ? { fromEnvironment: analysis.fromEnvironment }
        : {}),
      version: analysis.to.version,
      ...(analysis.to.appVersion ? { appVersion: analysis.to.appVersion } : {}),
      ...(analysis.from ? { previousVersion: analysis.from.version } : {}),
      strategy: analysis.strategy?.type ?? 'commit',
      ...(analysis.overriddenGates.length
        ? { overriddenGates: analysis.overriddenGates }
        : {}),
      ...rest,
    };
  }

  /**
   * Creates a promotion; a different version's promotion that has not started
   * running (or already made its change) is superseded first. The holder of
   * the environment's slot may finish (or be superseded by another replica)
   * while this runs: then the slot is tried again, a few times.
   */
  async createSuperseding(
    draft: NewPromotion,
  ): Promise<{ promotion: Promotion; created: boolean }> {
    let result = await this.options.store.create(draft);
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = result.promotion;
      if (result.created || holder.version === draft.version) return result;
      if (
        holder.trigger === 'automatic' &&
        draft.trigger === 'automatic' &&
        holder.state !== 'waiting-approval'
      ) {
        return result;
      }
      await this.move(holder, SUPERSEDABLE, { state: 'superseded' });
      result = await this.options.store.create(draft);
    }
    return result;
  }

  /** Changes a promotion that is in one of the `from` states (compare and set). */
  async move(
    promotion: Promotion,
    from: readonly PromotionState[],
    change: PromotionChange,
  ): Promise<Promotion | undefined> {
    const moved = await this.options.store.update(promotion.id, from, change);
    if (moved) this.changed(moved);
    return moved;
  }

  /** Tells `onChange` of a change; its failure never fails the change. */
  changed(promotion: Promotion) {
    try {
      this.options.onChange?.(promotion);
    } catch (error) {
      this.options.logger.warn(
        `Failed to publish a promotion change: ${(error as Error).message}`,
      );
    }
  }
}
