import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';

const SUCCESS = new Set(['succeeded', 'superseded']);

/**
 * Whether a target runs this version now, as its own status confirms: the
 * `deployed` of the page, the version a promotion waits for, what automatic
 * promotion starts from. A success only events report is not.
 */
export function isDeployedNow(d: TargetDeployment | undefined): boolean {
  return !!d && d.status === 'succeeded' && !d.unconfirmed;
}

/**
 * Whether this version ran successfully on the target, now or before (since
 * superseded), as its own status confirms: what may be promoted onwards or
 * rolled back to.
 */
export function hasSucceeded(d: TargetDeployment | undefined): boolean {
  return !!d && SUCCESS.has(d.status) && !d.unconfirmed;
}

/**
 * Whether a version succeeded on every target of an environment (those since
 * superseded by a newer version included), as their status confirms:
 * `reached` has one entry per target, undefined where the version has none.
 */
export function succeededEverywhere(
  reached: Array<TargetDeployment | undefined>,
): boolean {
  return reached.length > 0 && reached.every(hasSucceeded);
}
