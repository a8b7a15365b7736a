import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_APP_API_VERSIONS,
  Pipeline,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { parsePromotionSpec } from './promotionSpec';

/**
 * Reads `fluxPipelines.pipelines` from app-config. A target without a cluster
 * lands on the first cluster named in `kubernetes` or `fluxPipelines.clusters`,
 * else on `local`.
 */
export function readConfiguredPipelines(config: Config): Pipeline[] {
  const defaultCluster = firstClusterName(config) ?? 'local';
  const seen = new Set<string>();
  return (config.getOptionalConfigArray('fluxPipelines.pipelines') ?? []).map(
    entry => {
      const namespace = entry.getOptionalString('namespace') ?? 'default';
      const name = entry.getString('name');
      const key = `${namespace}/${name}`;
      if (seen.has(key)) {
        throw new InputError(
          `fluxPipelines.pipelines defines the pipeline ${key} twice`,
        );
      }
      seen.add(key);
      const kind = entry.getString('appRef.kind');
      if (!(kind in DEFAULT_APP_API_VERSIONS)) {
        throw new InputError(
          `Pipeline ${key}: appRef.kind must be HelmRelease or Kustomization, got '${kind}'`,
        );
      }
      return {
        namespace,
        name,
        source: 'config' as const,
        appRef: {
          apiVersion:
            entry.getOptionalString('appRef.apiVersion') ??
            DEFAULT_APP_API_VERSIONS[kind as Pipeline['appRef']['kind']],
          kind: kind as Pipeline['appRef']['kind'],
          name: entry.getString('appRef.name'),
        },
        environments: entry.getConfigArray('environments').map(env => {
          const promotion = readPromotion(
            env.getOptional('promotion'),
            `Pipeline ${key} environment ${env.getString('name')}`,
          );
          return {
            name: env.getString('name'),
            targets: env.getConfigArray('targets').map(target => ({
              namespace: target.getString('namespace'),
              cluster: target.getOptionalString('cluster') ?? defaultCluster,
            })),
            ...(promotion ? { promotion } : {}),
          };
        }),
        ...withPromotion(
          readPromotion(entry.getOptional('promotion'), `Pipeline ${key}`),
        ),
      };
    },
  );
}

function readPromotion(raw: unknown, label: string) {
  const { spec, error } = parsePromotionSpec(raw, label);
  if (error) {
    throw new InputError(error);
  }
  return spec;
}

function withPromotion(promotion: Pipeline['promotion']) {
  return promotion ? { promotion } : {};
}

function firstClusterName(config: Config): string | undefined {
  const own = config.getOptionalConfigArray('fluxPipelines.clusters');
  if (own?.length) {
    return own[0].getString('name');
  }
  for (const locator of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    const clusters = locator.getOptionalConfigArray('clusters');
    if (clusters?.length) {
      return clusters[0].getString('name');
    }
  }
  return undefined;
}
