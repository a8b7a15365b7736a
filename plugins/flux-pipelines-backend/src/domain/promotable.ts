import {
  PromotableVersion,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { hasSucceeded } from '../correlate/confirmedSuccess';
import { isDowngrade } from './versionOrder';
import { at } from './time';

/** A version that could move on, and when it last finished succeeding (ms). */
export type PromotionCandidate = PromotableVersion & { finishedAt: number };

/**
 * The newest version, by its last success, that succeeded on every target
 * (now, or before a newer one replaced it), as the targets' own status
 * confirms. `perTarget` holds each target's deployments, newest first.
 */
export function newestSucceededEverywhere(
  perTarget: TargetDeployment[][],
): PromotionCandidate | undefined {
  if (!perTarget.length) return undefined;
  const versions = new Set(perTarget.flat().map(d => d.chartVersion));
  let newest: PromotionCandidate | undefined;
  for (const version of versions) {
    const reached = perTarget.map(list =>
      list.find(d => d.chartVersion === version),
    );
    if (!reached.every(hasSucceeded)) continue;
    const finishedAt = Math.max(
      ...reached.map(d => at(d!.finishedAt ?? d!.updatedAt)),
    );
    if (!newest || finishedAt > newest.finishedAt) {
      const appVersion = reached.find(d => d?.appVersion)?.appVersion;
      newest = { version, ...(appVersion ? { appVersion } : {}), finishedAt };
    }
  }
  return newest;
}

/**
 * What may be promoted into an environment next, the one rule the promote
 * button, the promote API and automatic promotion share: the newest version
 * that succeeded on every target of the previous environment, unless this
 * environment already runs it on every target, or runs a newer release (going
 * back is a rollback, never a promotion). `running` is the version each of
 * this environment's targets runs now (undefined where none).
 */
export function nextPromotable(
  previous: TargetDeployment[][],
  running: Array<string | undefined>,
): PromotionCandidate | undefined {
  const candidate = newestSucceededEverywhere(previous);
  if (!candidate) return undefined;
  if (running.length && running.every(v => v === candidate.version)) {
    return undefined;
  }
  const current = running.find(v => v !== undefined);
  return isDowngrade(current, candidate.version) ? undefined : candidate;
}
