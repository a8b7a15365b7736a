import {
  Pipeline,
  Promotion,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { PromotionServiceOptions } from './promotionOptions';
import { PromotionContext } from './types';

/**
 * What a strategy is given to preview, carry out or follow a promotion: its
 * author (the approver, else the requester) and the `secretRef` credentials,
 * read anew each time.
 */
export async function strategyContext(
  options: Pick<PromotionServiceOptions, 'credentialsFor' | 'resolveAuthor'>,
  pipeline: Pipeline,
  promotion: Promotion,
  spec: PromotionStrategySpec,
): Promise<PromotionContext> {
  const credentials = await options.credentialsFor?.(pipeline, spec);
  return {
    pipeline,
    promotion,
    spec,
    author: await options.resolveAuthor(
      promotion.approvedBy ?? promotion.requestedBy,
    ),
    ...(credentials ? { credentials } : {}),
  };
}
