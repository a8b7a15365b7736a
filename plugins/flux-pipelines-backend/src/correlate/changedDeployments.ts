import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';

/** The deployments of `after` that differ from their version in `before`. */
export function changedDeployments(
  before: TargetDeployment[],
  after: TargetDeployment[],
): TargetDeployment[] {
  const old = new Map(before.map(d => [d.chartVersion, d]));
  return after.filter(d => !sameFields(old.get(d.chartVersion), d));
}

/** Whether two deployments hold the same values (all of them are primitives). */
function sameFields(a: TargetDeployment | undefined, b: TargetDeployment) {
  if (!a) return false;
  const keys = Object.keys(b) as Array<keyof TargetDeployment>;
  let defined = 0;
  for (const k of keys) {
    if (a[k] !== b[k]) return false;
    if (b[k] !== undefined) defined += 1;
  }
  // `a` may have fields `b` lacks (undefined counts as absent).
  let inA = 0;
  for (const k of Object.keys(a) as Array<keyof TargetDeployment>) {
    if (a[k] !== undefined) inA += 1;
  }
  return inA === defined;
}
