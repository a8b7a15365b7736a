import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { hasSucceeded } from '../correlate/confirmedSuccess';
import { at } from './time';

/** Kubernetes times have second precision; one rollback's records may differ by that. */
export const SAME_MOMENT_MS = 2000;

/**
 * The deployment a target went back to when `rolledBack` was rolled back:
 * the newest success on the target (another version) that finished by the
 * rollback. `target` holds all the target's deployments.
 */
export function rolledBackTo(
  target: TargetDeployment[],
  rolledBack: TargetDeployment,
): TargetDeployment | undefined {
  if (rolledBack.status !== 'rolled-back') return undefined;
  const rollbackAt = at(rolledBack.updatedAt);
  return target
    .filter(
      d =>
        d.chartVersion !== rolledBack.chartVersion &&
        hasSucceeded(d) &&
        at(d.finishedAt ?? d.updatedAt) <= rollbackAt + SAME_MOMENT_MS,
    )
    .sort(
      (a, b) =>
        at(b.finishedAt ?? b.updatedAt) - at(a.finishedAt ?? a.updatedAt),
    )[0];
}

/**
 * Whether the last success of `d` on its target is the environment going
 * back to it by a rollback of a newer version, not a deployment of its own:
 * a rollback is an event of the environment, it does not start the older
 * version's journey again.
 */
export function reinstatedByRollback(
  target: TargetDeployment[],
  d: TargetDeployment,
): boolean {
  if (!hasSucceeded(d) || !d.finishedAt) return false;
  return target.some(
    r =>
      r.status === 'rolled-back' &&
      Math.abs(at(r.updatedAt) - at(d.finishedAt)) <= SAME_MOMENT_MS &&
      rolledBackTo(target, r) === d,
  );
}
