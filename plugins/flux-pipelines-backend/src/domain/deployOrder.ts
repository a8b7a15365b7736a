import { TargetDeployment } from '@internal/plugin-flux-pipelines-common';
import { compareVersions } from './versionOrder';
import { at } from './time';

/**
 * An order of versions for `deployments`: by {@link compareVersions} where
 * both versions parse, else by when each was first deployed among them
 * (source revisions, digests). Negative when `a` is older.
 */
export function deployOrder(
  deployments: TargetDeployment[],
): (a: string, b: string) => number {
  const firstDeployed = new Map<string, number>();
  for (const d of deployments) {
    const time = at(d.finishedAt ?? d.startedAt ?? d.updatedAt);
    const known = firstDeployed.get(d.chartVersion);
    if (known === undefined || time < known) {
      firstDeployed.set(d.chartVersion, time);
    }
  }
  const deployedAt = (v: string) => firstDeployed.get(v) ?? -Infinity;
  return (a, b) => {
    if (a === b) return 0;
    const bySemVer = compareVersions(a, b);
    if (bySemVer !== undefined) return bySemVer;
    const byTime = deployedAt(a) - deployedAt(b);
    return Number.isNaN(byTime) ? 0 : byTime;
  };
}
