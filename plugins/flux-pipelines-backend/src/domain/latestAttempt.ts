import { TargetDeployment } from '@internal/plugin-flux-pipelines-common';
import { at } from './time';

/**
 * A target's most recent deployment attempt, whatever its outcome: the
 * version whose install or upgrade started last. A Helm rollback is an event
 * of the failed attempt, not an attempt of the version it puts back, so after
 * one the latest attempt stays the rolled-back version even though the older
 * version's record changed later. `list` is newest change first; where no
 * start is known, the time of the last change stands in for it.
 */
export function latestAttempt(
  list: TargetDeployment[],
): TargetDeployment | undefined {
  let latest: TargetDeployment | undefined;
  for (const d of list) {
    if (
      !latest ||
      at(d.startedAt ?? d.updatedAt) > at(latest.startedAt ?? latest.updatedAt)
    ) {
      latest = d;
    }
  }
  return latest;
}
