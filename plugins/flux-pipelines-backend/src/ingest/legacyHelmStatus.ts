import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { findCondition, readConditions } from './conditions';
import { statusDedupKey } from './dedup';
import { ObjectHeader, objectFields } from './objectHeader';
import { field, int, str, truncateMessage } from './values';

/**
 * v2beta1 (helm-controller ≤ v0.36): no history; `lastAppliedRevision`,
 * `lastAttemptedRevision`, `lastReleaseRevision` and the Ready condition.
 * A failed attempt is keyed by the time Ready turned False, so each retry of
 * the same version that fails again is a new observation: the version's state
 * follows the status after every attempt, even when the events that said so
 * were aggregated and lost their version.
 */
export function fromLegacyStatus(
  status: unknown,
  h: ObjectHeader,
  cluster: string,
): Observation[] {
  const conds = readConditions(status);
  const released =
    findCondition(conds, 'Released') ?? findCondition(conds, 'Ready');
  const applied = str(field(status, 'lastAppliedRevision'));
  const attempted = str(field(status, 'lastAttemptedRevision'));
  const revision = int(field(status, 'lastReleaseRevision'));
  const time = released?.lastTransitionTime;
  if (!time) return [];
  const out: Observation[] = [];
  const base = objectFields(h, 'HelmRelease', cluster);
  const ready = findCondition(conds, 'Ready');
  const failedAttempt =
    ready?.status === 'False' && attempted && attempted !== applied;
  if (applied) {
    out.push({
      ...base,
      action: revision === 1 ? 'install' : 'upgrade',
      outcome: 'succeeded',
      reason: 'ReleaseDeployed',
      message: truncateMessage(
        `Release of chart version ${applied} is deployed${
          released?.message ? `: ${released.message}` : ''
        }`,
      ),
      time,
      source: 'status',
      chartVersion: applied,
      ...(revision !== undefined ? { releaseRevision: revision } : {}),
      dedupKey: statusDedupKey(
        cluster,
        h.namespace,
        h.name,
        revision ?? applied,
        'deployed',
      ),
    });
  }
  if (failedAttempt && ready) {
    const failedAt = ready.lastTransitionTime ?? time;
    out.push({
      ...base,
      action: applied ? 'upgrade' : 'install',
      outcome: 'failed',
      reason: ready.reason ?? 'ReleaseFailed',
      message: truncateMessage(ready.message),
      time: failedAt,
      source: 'status',
      chartVersion: attempted,
      dedupKey: statusDedupKey(
        cluster,
        h.namespace,
        h.name,
        `${attempted}@${failedAt}`,
        'failed',
      ),
    });
  }
  return out;
}
