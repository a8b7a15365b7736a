import {
  Pipeline,
  PromotableVersion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { deployedVersion } from './deployedVersion';
import { onTarget } from './objectKey';
import { versionsSucceededEverywhere } from './promotable';

/**
 * Versions that succeeded on every target of an environment before and are
 * not what it runs now, newest (by their last success) first: what it can be
 * rolled back to. `deployments` are the pipeline app's, newest first. After
 * a `failed` version (an automatic rollback), the versions other than it:
 * the environment may run the one Helm's rollback reinstated.
 */
export function rollbackCandidates(
  pipeline: Pipeline,
  environment: string,
  deployments: TargetDeployment[],
  failed?: string,
): PromotableVersion[] {
  const env = pipeline.environments.find(e => e.name === environment);
  if (!env) return [];
  const current =
    failed ?? deployedVersion(env.targets, deployments)?.chartVersion;
  return versionsSucceededEverywhere(
    env.targets.map(t => deployments.filter(d => onTarget(t, d))),
  )
    .filter(c => c.version !== current)
    .map(({ finishedAt: _finishedAt, ...candidate }) => candidate);
}
