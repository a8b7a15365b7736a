import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  GatesSpec,
  Pipeline,
  PromotionSpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { parseGates, stricterGates } from '../domain/gates';
import { parsePromotionSpec } from './promotionSpec';
import {
  DestinationConfig,
  readDestinationConfig,
} from './readDestinationConfig';

/** Promotion settings from `fluxPipelines.promotion`. */
export interface PromotionConfig {
  /** Where the git strategies may write (see readDestinationConfig). */
  destinations: DestinationConfig;
  /**
   * Where the notification strategy posts, and the key it signs with (else
   * the `hmac-key` of the strategy's `secretRef` Secret).
   */
  notification?: { url: string; hmacKey?: string };
  /** Author of automatic promotions' commits. */
  author: { name: string; email: string };
  /** How often running promotions (open pull requests, commits) are followed up. */
  followIntervalSeconds: number;
  /** Settings that override those of a pipeline (from a cluster or from config). */
  overrides: Map<
    string,
    {
      promotion?: PromotionSpec;
      environments: Map<string, PromotionSpec>;
      /** Gates per environment; a pipeline's own can only tighten them. */
      gates: Map<string, GatesSpec>;
    }
  >;
}

/** Reads `fluxPipelines.promotion`; throws an InputError for unusable settings. */
export function readPromotionConfig(config: Config): PromotionConfig {
  const root = config.getOptionalConfig('fluxPipelines.promotion');
  const overrides: PromotionConfig['overrides'] = new Map();
  for (const entry of root?.getOptionalConfigArray('pipelines') ?? []) {
    const ref = entry.getString('pipeline');
    if (!/^[^/\s]+\/[^/\s]+$/.test(ref)) {
      throw new InputError(
        `fluxPipelines.promotion.pipelines: '${ref}' is not <namespace>/<name>`,
      );
    }
    const own = read(
      {
        manual: entry.getOptional('manual'),
        automatic: entry.getOptional('automatic'),
        strategy: entry.getOptional('strategy'),
      },
      `fluxPipelines.promotion for ${ref}`,
    );
    const environments = new Map<string, PromotionSpec>();
    const gates = new Map<string, GatesSpec>();
    for (const env of entry.getOptionalConfigArray('environments') ?? []) {
      const name = env.getString('name');
      const spec = read(
        {
          manual: env.getOptional('manual'),
          automatic: env.getOptional('automatic'),
          rollback: env.getOptional('rollback'),
          strategy: env.getOptional('strategy'),
        },
        `fluxPipelines.promotion for ${ref} environment ${name}`,
      );
      if (spec) environments.set(name, spec);
      const parsed = parseGates(
        env.getOptional('gates'),
        `fluxPipelines.promotion.pipelines ${ref} environment ${name}`,
      );
      if (parsed.error) throw new InputError(parsed.error);
      if (parsed.gates) gates.set(name, parsed.gates);
    }
    overrides.set(ref, { promotion: own, environments, gates });
  }
  const notification = root?.getOptionalConfig('notification');
  return {
    destinations: readDestinationConfig(config),
    notification: notification
      ? {
          url: notification.getString('url'),
          hmacKey: notification.getOptionalString('hmacKey'),
        }
      : undefined,
    author: {
      name: root?.getOptionalString('author.name') ?? 'Flux pipelines',
      email:
        root?.getOptionalString('author.email') ?? 'flux-pipelines@backstage',
    },
    followIntervalSeconds:
      root?.getOptionalNumber('followIntervalSeconds') ?? 30,
    overrides,
  };
}

function read(
  raw: {
    manual?: unknown;
    automatic?: unknown;
    rollback?: unknown;
    strategy?: unknown;
  },
  label: string,
) {
  const defined = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined),
  );
  const { spec, error } = parsePromotionSpec(defined, label);
  if (error) throw new InputError(error);
  return spec && Object.keys(spec).length ? spec : undefined;
}

/**
 * A pipeline with the configured overrides applied (config wins, per field;
 * for gates, the stricter of config's and the pipeline's own).
 */
export function applyPromotionOverrides(
  pipeline: Pipeline,
  config: PromotionConfig,
): Pipeline {
  const override = config.overrides.get(
    `${pipeline.namespace}/${pipeline.name}`,
  );
  if (!override) return pipeline;
  const promotion = { ...pipeline.promotion, ...override.promotion };
  return {
    ...pipeline,
    ...(Object.keys(promotion).length ? { promotion } : {}),
    environments: pipeline.environments.map(env => {
      const own = override.environments.get(env.name);
      const gates = stricterGates(env.gates, override.gates.get(env.name));
      return {
        ...env,
        ...(own ? { promotion: { ...env.promotion, ...own } } : {}),
        ...(gates ? { gates } : {}),
      };
    }),
  };
}
