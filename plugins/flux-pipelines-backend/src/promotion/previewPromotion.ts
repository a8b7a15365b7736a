import { ConflictError } from '@backstage/errors';
import {
  Pipeline,
  PromotionPreview,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { PromotionRecords } from './PromotionRecords';
import { PromotionRules, noStrategy } from './PromotionRules';
import { PromotionServiceOptions } from './promotionOptions';
import { strategyContext } from './strategyContext';

/**
 * What promoting `version` into `environment` (or rolling back to it) would
 * do: the same checks as a request (refused the same way, gates reported
 * rather than enforced), and the files its strategy would change. Nothing is
 * recorded or pushed.
 */
export async function previewPromotion(
  parts: {
    options: PromotionServiceOptions;
    rules: PromotionRules;
    records: PromotionRecords;
  },
  input: {
    pipeline: Pipeline;
    environment: string;
    version: string;
    rollback: boolean;
  },
): Promise<PromotionPreview> {
  const { options, rules, records } = parts;
  const { pipeline, environment, version, rollback } = input;
  const analysis = await rules.analyse(
    pipeline,
    environment,
    version,
    rollback,
    {
      reportOnly: true,
    },
  );
  if (!analysis.strategy) {
    throw new ConflictError(noStrategy(pipeline, environment));
  }
  const draft = records.draft(pipeline, environment, analysis, {
    trigger: rollback ? 'rollback' : 'manual',
    requestedBy: 'pipeline',
    state: 'requested',
  });
  const files = await options
    .strategyFor(analysis.strategy)
    .preview(
      await strategyContext(options, pipeline, draft, analysis.strategy),
    );
  return {
    environment,
    ...(analysis.fromEnvironment
      ? { fromEnvironment: analysis.fromEnvironment }
      : {}),
    strategy: analysis.strategy.type,
    manual: analysis.manual,
    ...(analysis.from ? { from: analysis.from } : {}),
    to: analysis.to,
    ...(files ? { files } : {}),
    ...(analysis.gates.length ? { gates: analysis.gates } : {}),
  };
}
