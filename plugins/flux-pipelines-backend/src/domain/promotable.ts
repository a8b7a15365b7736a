import {
  PromotableVersion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { succeededEverywhere } from '../correlate/confirmedSuccess';
import { isDowngrade } from './versionOrder';
import { at } from './time';

/** A version that could move on, and when it last finished succeeding (ms). */
export type PromotionCandidate = PromotableVersion & { finishedAt: number };

/**
 * Every version that succeeded on every target (now, or before a newer one
 * replaced it), as the targets' own status confirms, newest by its last
 * success first. `perTarget` holds each target's deployments, newest first.
 */
export function versionsSucceededEverywhere(
  perTarget: TargetDeployment[][],
): PromotionCandidate[] {
  if (!perTarget.length) return [];
  const versions = new Set(perTarget.flat().map(d => d.chartVersion));
  const candidates = [...versions].flatMap(version => {
    const reached = perTarget.map(list =>
      list.find(d => d.chartVersion === version),
    );
    if (!succeededEverywhere(reached)) return [];
    const finishedAt = Math.max(
      ...reached.map(d => at(d!.finishedAt ?? d!.updatedAt)),
    );
    const appVersion = reached.find(d => d?.appVersion)?.appVersion;
    return [{ version, ...(appVersion ? { appVersion } : {}), finishedAt }];
  });
  return candidates.sort((a, b) => b.finishedAt - a.finishedAt);
}

/** The newest version, by its last success, that succeeded on every target. */
export function newestSucceededEverywhere(
  perTarget: TargetDeployment[][],
): PromotionCandidate | undefined {
  return versionsSucceededEverywhere(perTarget)[0];
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
