import {
  Pipeline,
  PromotionSpec,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';

type Json = Record<string, any>;

const PROVIDERS = ['github', 'gitlab', 'bitbucket-server'] as const;

/**
 * Reads promotion settings in the Weave GitOps `Pipeline` shape
 * (`{ manual, strategy: { pull-request: {...} | notification: {}, secretRef } }`), plus
 * `strategy.commit: { url, branch }`. `path` and `field` next to the
 * strategy's own keys select the file and field to change instead of the
 * `$promotion` marker. Returns undefined for no settings, an error message
 * for unusable ones.
 */
export function parsePromotionSpec(
  raw: unknown,
  label: string,
): { spec?: PromotionSpec; error?: string } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { error: `${label}: promotion must be an object` };
  }
  const value = raw as Json;
  const spec: PromotionSpec = {};
  if (value.manual !== undefined) {
    if (typeof value.manual !== 'boolean') {
      return { error: `${label}: promotion.manual must be true or false` };
    }
    spec.manual = value.manual;
  }
  if (value.automatic !== undefined) {
    if (typeof value.automatic !== 'boolean') {
      return { error: `${label}: promotion.automatic must be true or false` };
    }
    spec.automatic = value.automatic;
  }
  if (value.rollback !== undefined) {
    if (typeof value.rollback?.automatic !== 'boolean') {
      return {
        error: `${label}: promotion.rollback.automatic must be true or false`,
      };
    }
    const onCanaryFailure = value.rollback.onCanaryFailure;
    if (onCanaryFailure !== undefined && typeof onCanaryFailure !== 'boolean') {
      return {
        error: `${label}: promotion.rollback.onCanaryFailure must be true or false`,
      };
    }
    spec.rollback = {
      automatic: value.rollback.automatic,
      ...(onCanaryFailure !== undefined ? { onCanaryFailure } : {}),
    };
  }
  if (value.strategy !== undefined) {
    const strategy = parseStrategy(value.strategy, label);
    if ('error' in strategy) return { error: strategy.error };
    spec.strategy = strategy.strategy;
  }
  return { spec };
}

function parseStrategy(
  raw: unknown,
  label: string,
): { strategy: PromotionStrategySpec } | { error: string } {
  const value = (raw ?? {}) as Json;
  const keys = ['pull-request', 'commit', 'notification'].filter(
    k => value[k] !== undefined,
  );
  if (keys.length !== 1) {
    return {
      error: `${label}: promotion.strategy needs exactly one of pull-request, commit or notification`,
    };
  }
  const body = (value[keys[0]] ?? {}) as Json;
  const selector = {
    ...(typeof body.path === 'string' ? { path: body.path } : {}),
    ...(typeof body.field === 'string' ? { field: body.field } : {}),
  };
  const secretRef =
    typeof body.secretRef?.name === 'string'
      ? { secretRef: body.secretRef.name as string }
      : {};
  if (Boolean(selector.path) !== Boolean(selector.field)) {
    return { error: `${label}: give both path and field, or neither` };
  }
  switch (keys[0]) {
    case 'pull-request': {
      if (!PROVIDERS.includes(body.type)) {
        return {
          error: `${label}: pull-request.type must be one of ${PROVIDERS.join(
            ', ',
          )}`,
        };
      }
      if (typeof body.url !== 'string' || typeof body.baseBranch !== 'string') {
        return {
          error: `${label}: pull-request needs url and baseBranch`,
        };
      }
      return {
        strategy: {
          type: 'pull-request',
          provider: body.type,
          url: body.url,
          baseBranch: body.baseBranch,
          ...secretRef,
          ...selector,
        },
      };
    }
    case 'commit':
      if (typeof body.url !== 'string') {
        return { error: `${label}: commit needs url` };
      }
      return {
        strategy: {
          type: 'commit',
          url: body.url,
          branch: typeof body.branch === 'string' ? body.branch : 'main',
          ...secretRef,
          ...selector,
        },
      };
    default: {
      // The URL of a notification never comes from a cluster object. Its
      // Secret is named next to `notification`, as Weave GitOps has it.
      const strategyRef = value.secretRef?.name;
      return {
        strategy: {
          type: 'notification',
          ...(typeof strategyRef === 'string'
            ? { secretRef: strategyRef }
            : {}),
        },
      };
    }
  }
}

/**
 * The settings that apply to promotions into one environment: the
 * environment's own over the pipeline's; `manual` defaults to false,
 * `automatic` to true.
 */
export function effectivePromotion(
  pipeline: Pipeline,
  environment: string,
): {
  manual: boolean;
  automatic: boolean;
  strategy?: PromotionStrategySpec;
  /** Protected by app-config: rollbacks wait for approval too. */
  protected: boolean;
  /** The approver must not be the requester. */
  separateApprover: boolean;
  /** Roll back a failed promoted version on its own (default false). */
  automaticRollback: boolean;
  /** With `automaticRollback`: a failed canary counts as a failure too (default false). */
  rollbackOnCanaryFailure: boolean;
} {
  const env = pipeline.environments.find(e => e.name === environment);
  const isProtected = env?.promotion?.protected ?? false;
  return {
    manual:
      isProtected ||
      (env?.promotion?.manual ?? pipeline.promotion?.manual ?? false),
    automatic:
      env?.promotion?.automatic ?? pipeline.promotion?.automatic ?? true,
    strategy: env?.promotion?.strategy ?? pipeline.promotion?.strategy,
    protected: isProtected,
    separateApprover:
      isProtected && (env?.promotion?.separateApprover ?? false),
    // Per environment only: a pipeline-wide rollback is not offered.
    automaticRollback: env?.promotion?.rollback?.automatic ?? false,
    rollbackOnCanaryFailure:
      (env?.promotion?.rollback?.automatic ?? false) &&
      (env?.promotion?.rollback?.onCanaryFailure ?? false),
  };
}
