import {
  Pipeline,
  Promotion,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { PromotionRecords } from './PromotionRecords';
import { noStrategy } from './PromotionRules';
import { PromotionServiceOptions } from './promotionOptions';
import { strategyContext } from './strategyContext';

/**
 * Carries out a requested promotion with the environment's strategy: takes
 * it (`requested` → `in-progress`, a compare and set, so one replica does),
 * then records what the strategy did (committed, pull request opened,
 * notified) or why it failed.
 */
export async function carryOut(
  options: PromotionServiceOptions,
  records: PromotionRecords,
  input: {
    pipeline: Pipeline;
    promotion: Promotion;
    spec: PromotionStrategySpec | undefined;
  },
): Promise<void> {
  const { pipeline, promotion, spec } = input;
  const started = await records.move(promotion, ['requested'], {
    state: 'in-progress',
  });
  if (!started) return; // another replica took it
  if (!spec) {
    await records.move(started, ['in-progress'], {
      state: 'failed',
      error: noStrategy(pipeline, promotion.environment),
    });
    return;
  }
  try {
    const outcome = await options
      .strategyFor(spec)
      .promote(await strategyContext(options, pipeline, started, spec));
    await records.move(started, ['in-progress'], {
      state: outcome.state,
      ...('pullRequestUrl' in outcome
        ? { pullRequestUrl: outcome.pullRequestUrl }
        : {}),
      ...('commitSha' in outcome ? { commitSha: outcome.commitSha } : {}),
    });
  } catch (error) {
    options.logger.warn(
      `Promotion of ${promotion.version} to ${
        promotion.environment
      } in pipeline ${pipeline.namespace}/${pipeline.name} failed: ${
        (error as Error).message
      }`,
      { promotionId: promotion.id },
    );
    await records.move(started, ['in-progress'], {
      state: 'failed',
      error: (error as Error).message,
    });
  }
}
