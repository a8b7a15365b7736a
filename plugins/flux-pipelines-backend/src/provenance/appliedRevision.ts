import { TargetDeployment } from '@internal/plugin-flux-pipelines-common';
import { at } from '../domain/time';
import { AppLabelStore } from '../database/AppLabelStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { parseSourceRevision } from '../ingest/sourceRevision';

/** The labels kustomize-controller puts on every object it applies. */
export const APPLIED_BY_NAME = 'kustomize.toolkit.fluxcd.io/name';
export const APPLIED_BY_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';

/**
 * The Kustomization that applied an object, from the labels
 * kustomize-controller puts on it: one on the same cluster, or none when the
 * labels are missing or ambiguous.
 */
export async function appliedBy(
  labels: AppLabelStore,
  ref: FluxObjectRef,
): Promise<FluxObjectRef | undefined> {
  const [names, namespaces] = await Promise.all([
    labels.labelValues([ref], APPLIED_BY_NAME),
    labels.labelValues([ref], APPLIED_BY_NAMESPACE),
  ]);
  if (names.length !== 1 || namespaces.length !== 1) return undefined;
  return {
    cluster: ref.cluster,
    namespace: namespaces[0],
    kind: 'Kustomization',
    name: names[0],
  };
}

/** When a deployment began: its start, else its first known time. */
function beganAt(d: TargetDeployment): number {
  return at(d.startedAt ?? d.finishedAt ?? d.updatedAt);
}

/**
 * The revision the applying Kustomization had reached when `deployment`
 * (of an object it applies) started: the newest of its revisions that began
 * no later (Kubernetes times have whole seconds: on a tie, the one changed
 * last). Undefined when none did, or it does not parse.
 */
export function revisionAt(
  applier: TargetDeployment[],
  deployment: TargetDeployment,
): string | undefined {
  const started = beganAt(deployment);
  let newest: TargetDeployment | undefined;
  for (const candidate of applier) {
    const time = beganAt(candidate);
    if (time > started) continue;
    if (
      !newest ||
      time > beganAt(newest) ||
      (time === beganAt(newest) &&
        at(candidate.updatedAt) > at(newest.updatedAt))
    ) {
      newest = candidate;
    }
  }
  return parseSourceRevision(newest?.chartVersion)?.revision;
}
