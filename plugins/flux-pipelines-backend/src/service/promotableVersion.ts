import {
  PipelineTarget,
  PromotableVersion,
  TargetDeployment,
  TargetStatus,
} from '@internal/plugin-flux-pipelines-common';
import { succeededEverywhere } from '../executions/describeEnvironment';

const at = (time: string | undefined) => (time ? Date.parse(time) : -Infinity);

/**
 * What could be promoted into an environment next: the newest version (by
 * its last success) that succeeded on every target of the previous
 * environment — including versions a newer one replaced since — unless this
 * environment already runs it on every target. `previous` is undefined for
 * the first environment, which has nothing to promote.
 */
export function promotableVersion(
  previous: PipelineTarget[] | undefined,
  current: TargetStatus[],
  deploymentsOf: (target: PipelineTarget) => TargetDeployment[],
): PromotableVersion | undefined {
  if (!previous?.length) {
    return undefined;
  }
  const perTarget = previous.map(deploymentsOf);
  const versions = new Set(perTarget.flat().map(d => d.chartVersion));
  let newest:
    | { version: string; appVersion?: string; time: number }
    | undefined;
  for (const version of versions) {
    const reached = perTarget.map(list =>
      list.find(d => d.chartVersion === version),
    );
    if (!succeededEverywhere(reached)) continue;
    const time = Math.max(
      ...reached.map(d => at(d!.finishedAt ?? d!.updatedAt)),
    );
    if (!newest || time > newest.time) {
      newest = {
        version,
        appVersion: reached.find(d => d?.appVersion)?.appVersion,
        time,
      };
    }
  }
  if (
    !newest ||
    current.every(t => t.deployed?.chartVersion === newest!.version)
  ) {
    return undefined;
  }
  return newest.appVersion
    ? { version: newest.version, appVersion: newest.appVersion }
    : { version: newest.version };
}
