import {
  Pipeline,
  PromotableVersion,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { hasSucceeded } from '../correlate/confirmedSuccess';
import { deployedVersion } from './deployedVersion';
import { objectKey, onAnyTarget, targetKey } from './objectKey';
import { at } from './time';

/**
 * Versions that succeeded on every target of an environment before and are
 * not what it runs now, newest (by their last success) first: what it can be
 * rolled back to. `deployments` are the pipeline app's, newest first.
 */
export function rollbackCandidates(
  pipeline: Pipeline,
  environment: string,
  deployments: TargetDeployment[],
): PromotableVersion[] {
  const env = pipeline.environments.find(e => e.name === environment);
  if (!env) return [];
  const current = deployedVersion(env.targets, deployments)?.chartVersion;
  const mine = deployments.filter(d => onAnyTarget(env.targets, d));
  const byKey = new Map<string, TargetDeployment>();
  for (const d of mine) {
    const key = objectKey(d, d.chartVersion);
    if (!byKey.has(key)) byKey.set(key, d);
  }
  const versions = [...new Set(mine.map(d => d.chartVersion))].filter(
    v => v !== current,
  );
  const candidates = versions.flatMap(version => {
    const reached = env.targets.map(t =>
      byKey.get(targetKey(pipeline, t, version)),
    );
    if (!reached.every(hasSucceeded)) return [];
    const finished = Math.max(...reached.map(d => at(d!.finishedAt)));
    const appVersion = reached.find(d => d?.appVersion)?.appVersion;
    return [{ version, ...(appVersion ? { appVersion } : {}), finished }];
  });
  return candidates
    .sort((a, b) => b.finished - a.finished)
    .map(({ finished: _finished, ...rest }) => rest);
}
