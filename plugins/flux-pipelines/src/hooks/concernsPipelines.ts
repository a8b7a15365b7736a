import {
  FluxPipelinesSignal,
  PipelineWithStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';

const key = (cluster: string, namespace: string, kind: string, name: string) =>
  JSON.stringify([cluster, namespace, kind, name]);

/**
 * Whether a signal can change what the cards of these pipelines show: a
 * change of deployments only when it names one of their targets (their app
 * on one of their environments' cluster and namespace) or a Kustomization
 * (where a version came from); every other signal, one naming no target,
 * and any signal before the pipelines are known. So an entity page is not reloaded by the rest of the
 * fleet's deployments.
 */
export function concernsPipelines(
  signal: FluxPipelinesSignal,
  pipelines: PipelineWithStatus[] | undefined,
): boolean {
  if (signal.type !== 'deployments-changed' || !pipelines?.length) return true;
  // a change that names no target may be anywhere
  if (!Array.isArray(signal.targets) || !signal.targets.length) return true;
  const shown = new Set(
    pipelines.flatMap(p =>
      p.environments.flatMap(e =>
        e.targets.map(t =>
          key(t.cluster, t.namespace, p.appRef.kind, p.appRef.name),
        ),
      ),
    ),
  );
  return signal.targets.some(
    t =>
      t.kind !== 'HelmRelease' ||
      shown.has(key(t.cluster, t.namespace, t.kind, t.name)),
  );
}
