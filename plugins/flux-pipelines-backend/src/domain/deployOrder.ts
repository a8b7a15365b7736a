import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { compareVersions } from './versionOrder';
import { at } from './time';

/**
 * An order of versions for `deployments` (negative when `a` is older):
 * - chart versions that parse, among themselves, by {@link compareVersions}
 *   (SemVer; `+build` and digests aside);
 * - versions that do not parse (source revisions, digests), among
 *   themselves, by when each was first deployed;
 * - a version that does not parse comes right after the newest release that
 *   was deployed before it, so an app whose versions mix both still has one
 *   total order (every comparison follows from a key, so it is transitive).
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
  const releases = [...firstDeployed.keys()].filter(parses);
  /** How many known releases are older than `v`. */
  const rank = (v: string) =>
    releases.filter(r => compareVersions(r, v)! < 0).length;
  /**
   * Releases sit at even places by their rank; a version that does not parse
   * sits at the odd place just after the highest release deployed before it.
   */
  const places = new Map<string, number>();
  const place = (v: string) => {
    let known = places.get(v);
    if (known === undefined) {
      const before = releases.filter(r => deployedAt(r) <= deployedAt(v));
      if (parses(v)) known = 2 * rank(v);
      else known = before.length ? 2 * Math.max(...before.map(rank)) + 1 : -1;
      places.set(v, known);
    }
    return known;
  };
  return (a, b) => {
    if (a === b) return 0;
    const pa = place(a);
    const pb = place(b);
    if (pa !== pb) return pa - pb;
    if (pa % 2 === 0) return compareVersions(a, b)!;
    const byTime = deployedAt(a) - deployedAt(b);
    return Number.isNaN(byTime) ? 0 : byTime;
  };
}

function parses(version: string): boolean {
  return compareVersions(version, version) !== undefined;
}
