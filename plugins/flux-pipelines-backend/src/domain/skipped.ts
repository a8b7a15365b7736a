import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { succeededEverywhere } from '../correlate/confirmedSuccess';

/** One environment's deployments: per target, newest first. */
export interface EnvironmentDeployments {
  name: string;
  perTarget: TargetDeployment[][];
}

/** Whether `version` succeeded on every target of the environment, as status confirms. */
export function passedThrough(
  environment: EnvironmentDeployments,
  version: string,
): boolean {
  // An environment without targets has nothing a version could skip.
  if (!environment.perTarget.length) return true;
  return succeededEverywhere(
    environment.perTarget.map(list =>
      list.find(d => d.chartVersion === version),
    ),
  );
}

/**
 * The environments before the one at `index` that `version` did not pass
 * through: it never succeeded on every one of their targets (a hand commit
 * further down the pipeline, or a promotion that went around an environment).
 * A version with skipped environments is flagged wherever it is shown, and
 * automatic promotion never carries it further.
 */
export function skippedEnvironments(
  environments: EnvironmentDeployments[],
  index: number,
  version: string,
): string[] {
  return environments
    .slice(0, Math.max(0, index))
    .filter(environment => !passedThrough(environment, version))
    .map(environment => environment.name);
}
