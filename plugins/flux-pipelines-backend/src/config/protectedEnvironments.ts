import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';

/** One entry of `fluxPipelines.promotion.protectedEnvironments`. */
export interface ProtectedEnvironmentRule {
  /** The target cluster it covers; any when unset. */
  cluster?: string;
  /** The target namespace it covers; any when unset. */
  namespace?: string;
  /** Whether the approver must be someone other than the requester. Default true. */
  separateApprover: boolean;
}

/**
 * Reads `fluxPipelines.promotion.protectedEnvironments`: the targets (by
 * cluster and/or namespace) into which every promotion waits for approval,
 * whatever a pipeline says. An entry must name a cluster or a namespace.
 */
export function readProtectedEnvironments(
  config: Config,
): ProtectedEnvironmentRule[] {
  const key = 'fluxPipelines.promotion.protectedEnvironments';
  return (config.getOptionalConfigArray(key) ?? []).map((entry, i) => {
    const cluster = entry.getOptionalString('cluster');
    const namespace = entry.getOptionalString('namespace');
    if (!cluster && !namespace) {
      throw new InputError(
        `${key}[${i}] must name a cluster, a namespace or both`,
      );
    }
    return {
      ...(cluster ? { cluster } : {}),
      ...(namespace ? { namespace } : {}),
      separateApprover: entry.getOptionalBoolean('separateApprover') ?? true,
    };
  });
}

/**
 * The pipeline with every environment that has a target covered by a rule
 * marked `protected` (so promotions into it, rollbacks included, wait for
 * approval). Applied last, over the pipeline's own and the configured
 * settings, so neither a Pipeline object nor a per-pipeline override can
 * lift it.
 */
export function protectEnvironments(
  pipeline: Pipeline,
  rules: ProtectedEnvironmentRule[],
): Pipeline {
  if (!rules.length) return pipeline;
  let changed = false;
  const environments = pipeline.environments.map(env => {
    const matching = rules.filter(rule =>
      env.targets.some(
        t =>
          (rule.cluster === undefined || rule.cluster === t.cluster) &&
          (rule.namespace === undefined || rule.namespace === t.namespace),
      ),
    );
    if (!matching.length) return env;
    changed = true;
    return {
      ...env,
      promotion: {
        ...env.promotion,
        manual: true,
        protected: true,
        separateApprover: matching.some(rule => rule.separateApprover),
      },
    };
  });
  return changed ? { ...pipeline, environments } : pipeline;
}
