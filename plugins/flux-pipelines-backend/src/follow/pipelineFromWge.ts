import {
  DEFAULT_APP_API_VERSIONS,
  Pipeline,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { parsePromotionSpec } from '../config/promotionSpec';
import { parseGates } from '../domain/gates';

type Json = Record<string, any>;

/**
 * Reads a Weave GitOps `Pipeline` (`pipelines.weave.works/v1alpha1`) found on
 * a cluster. A target without `clusterRef` is on that same cluster; with one,
 * on the configured cluster of the referenced GitopsCluster's name. Beyond
 * WGE, `spec.environments[].gates` adds gates (soak, windows). Returns an
 * error message for an object that is not a usable pipeline.
 */
export function pipelineFromWge(
  cluster: string,
  object: Json,
): { pipeline: Pipeline } | { error: string } {
  const namespace = object?.metadata?.namespace;
  const name = object?.metadata?.name;
  const spec = object?.spec;
  if (typeof namespace !== 'string' || typeof name !== 'string') {
    return { error: 'a Pipeline without metadata.namespace and metadata.name' };
  }
  const label = `Pipeline ${namespace}/${name} on cluster ${cluster}`;
  const kind = spec?.appRef?.kind;
  if (kind !== 'HelmRelease' && kind !== 'Kustomization') {
    return {
      error: `${label}: spec.appRef.kind must be HelmRelease or Kustomization`,
    };
  }
  if (
    typeof spec.appRef.name !== 'string' ||
    !Array.isArray(spec.environments)
  ) {
    return {
      error: `${label}: spec.appRef.name and spec.environments are required`,
    };
  }
  const environments: Pipeline['environments'] = [];
  for (const env of spec.environments) {
    if (typeof env?.name !== 'string' || !Array.isArray(env.targets)) {
      return { error: `${label}: every environment needs a name and targets` };
    }
    const targets = [];
    for (const target of env.targets) {
      if (typeof target?.namespace !== 'string') {
        return { error: `${label}: a target of ${env.name} has no namespace` };
      }
      const ref = target.clusterRef?.name;
      targets.push({
        namespace: target.namespace,
        cluster: typeof ref === 'string' ? ref : cluster,
      });
    }
    const promotion = parsePromotionSpec(
      env.promotion,
      `${label} environment ${env.name}`,
    );
    if (promotion.error) return { error: promotion.error };
    // An extension of the WGE shape; app-config's gates win (see stricterGates).
    const gates = parseGates(env.gates, `${label} environment ${env.name}`);
    if (gates.error) return { error: gates.error };
    environments.push({
      name: env.name,
      targets,
      ...(promotion.spec ? { promotion: promotion.spec } : {}),
      ...(gates.gates ? { gates: gates.gates } : {}),
    });
  }
  const promotion = parsePromotionSpec(spec.promotion, label);
  if (promotion.error) return { error: promotion.error };
  return {
    pipeline: {
      namespace,
      name,
      source: 'cluster',
      appRef: {
        apiVersion:
          typeof spec.appRef.apiVersion === 'string'
            ? spec.appRef.apiVersion
            : DEFAULT_APP_API_VERSIONS[kind as Pipeline['appRef']['kind']],
        kind,
        name: spec.appRef.name,
      },
      environments,
      ...(promotion.spec ? { promotion: promotion.spec } : {}),
    },
  };
}
