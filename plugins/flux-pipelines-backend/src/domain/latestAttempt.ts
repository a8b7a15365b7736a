import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { rolledBackTo } from './rollback';

/**
 * A target's most recent deployment attempt, whatever its outcome: the
 * version whose record changed last, except that a Helm rollback is an event
 * of the failed attempt, not an attempt of the version it put back. So when
 * the newest change is a version going back into service by a rollback, the
 * latest attempt stays the version that was rolled back. `list` is the
 * target's deployments, newest change first.
 */
export function latestAttempt(
  list: TargetDeployment[],
): TargetDeployment | undefined {
  const newest = list[0];
  if (!newest || newest.status === 'rolled-back') return newest;
  const rolledBack = list.find(
    r => r.status === 'rolled-back' && rolledBackTo(list, r) === newest,
  );
  return rolledBack ?? newest;
}
