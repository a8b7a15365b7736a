import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { reachedBy } from './deployedVersion';
import { TargetLike, onTarget } from './objectKey';
import { SAME_MOMENT_MS, reinstatedByRollback } from './rollback';
import { at } from './time';

/**
 * The deployment that shows a promoted version failed on one of the
 * environment's targets since the promotion was asked for (its release
 * failed, or Helm rolled it back), if any. `deployments` are the app's,
 * newest first.
 */
export function failedSincePromotion(
  targets: TargetLike[],
  deployments: TargetDeployment[],
  promotion: { version: string; requestedAt: string },
): TargetDeployment | undefined {
  return reachedBy(targets, deployments, promotion.version).find(
    d =>
      d &&
      (d.status === 'failed' || d.status === 'rolled-back') &&
      at(d.updatedAt) >= at(promotion.requestedAt) - SAME_MOMENT_MS,
  );
}

/**
 * Whether the target still stands where `failure` left it: no other version
 * was deployed there since, except the one Helm's own rollback reinstated.
 */
export function stillFailing(
  deployments: TargetDeployment[],
  failure: TargetDeployment,
): boolean {
  const target = deployments.filter(d => onTarget(failure, d));
  const newest = target.find(d => !reinstatedByRollback(target, d));
  return newest?.chartVersion === failure.chartVersion;
}
