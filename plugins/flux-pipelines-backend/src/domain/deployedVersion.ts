import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { isDeployedNow } from '../correlate/confirmedSuccess';
import { TargetLike, onTarget } from './objectKey';

/**
 * The deployment of `version` on each target, in target order (undefined
 * where it never went). `deployments` are the app's, newest first.
 */
export function reachedBy(
  targets: TargetLike[],
  deployments: TargetDeployment[],
  version: string,
): Array<TargetDeployment | undefined> {
  return targets.map(t =>
    deployments.find(d => d.chartVersion === version && onTarget(t, d)),
  );
}

/**
 * The version an environment runs: the current success (as status confirms)
 * on its first target that has one.
 */
export function deployedVersion(
  targets: TargetLike[],
  deployments: TargetDeployment[],
): TargetDeployment | undefined {
  for (const t of targets) {
    const d = deployments.find(x => onTarget(t, x) && isDeployedNow(x));
    if (d) return d;
  }
  return undefined;
}

/** Whether every target runs `version` now, as its status confirms. */
export function runsEverywhere(
  targets: TargetLike[],
  deployments: TargetDeployment[],
  version: string,
): boolean {
  return reachedBy(targets, deployments, version).every(isDeployedNow);
}
