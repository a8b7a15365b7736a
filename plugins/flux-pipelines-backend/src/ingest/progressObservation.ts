import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { progressingCondition, readConditions } from './conditions';
import { statusDedupKey } from './dedup';
import { field, str, truncateMessage } from './values';

/** The fields that name a Flux object on a cluster. */
export type ObjectFields = Pick<
  Observation,
  'cluster' | 'namespace' | 'kind' | 'name' | 'uid'
>;

/**
 * A `progress` observation while a HelmRelease or Kustomization status says a
 * release or apply is running (`Reconciling` True/Progressing, or v2beta1's
 * Ready Unknown/Progressing), for the revision last attempted.
 */
export function progressObservation(
  object: ObjectFields,
  status: unknown,
): Observation | undefined {
  const progress = progressingCondition(readConditions(status));
  if (!progress?.lastTransitionTime) return undefined;
  const attempted = str(field(status, 'lastAttemptedRevision'));
  return {
    ...object,
    action: 'progress',
    outcome: 'progressing',
    reason: 'Progressing',
    message: truncateMessage(progress.message),
    time: progress.lastTransitionTime,
    source: 'status',
    ...(attempted ? { chartVersion: attempted } : {}),
    dedupKey: statusDedupKey(
      object.cluster,
      object.namespace,
      object.name,
      `progress@${progress.lastTransitionTime}`,
      'progressing',
    ),
  };
}
