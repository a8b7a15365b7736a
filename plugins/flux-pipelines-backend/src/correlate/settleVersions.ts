import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';

/** How one deployment's change settles the other versions of its target. */

export function settleOthers(
  byVersion: Map<string, TargetDeployment>,
  deployed: TargetDeployment,
  o: Observation,
): void {
  if (o.action !== 'rollback') {
    return;
  }
  const others = [...byVersion.values()].filter(
    d =>
      d !== deployed &&
      (d.status === 'failed' || d.status === 'progressing') &&
      at(d.updatedAt) <= at(o.time),
  );
  const newest = others.sort((a, b) => at(b.updatedAt) - at(a.updatedAt))[0];
  if (newest) {
    newest.status = 'rolled-back';
    newest.finishedAt ??= o.time;
    newest.updatedAt = o.time;
  }
}

/**
 * Helm tests failed after the version was installed or upgraded: it is not
 * deployed after all, and the version it superseded (the newest one that
 * succeeded before it) counts as deployed again, unless another version
 * succeeded since. Its change time is set just before the failure, so the
 * failed attempt stays the latest and older status snapshots (which say
 * "superseded") do not undo this.
 */
export function reinstatePrevious(
  byVersion: Map<string, TargetDeployment>,
  failed: TargetDeployment,
  o: Observation,
): void {
  const others = [...byVersion.values()].filter(d => d !== failed);
  if (others.some(d => d.status === 'succeeded')) {
    return;
  }
  const before = at(failed.startedAt ?? o.time);
  const previous = others
    .filter(
      d =>
        d.status === 'superseded' &&
        d.finishedAt !== undefined &&
        at(d.finishedAt) <= before,
    )
    .sort((a, b) => at(b.finishedAt) - at(a.finishedAt))[0];
  if (previous) {
    previous.status = 'succeeded';
    previous.updatedAt = new Date(at(o.time) - 1).toISOString();
  }
}

/**
 * Keeps only the newest confirmed success, and the newest unconfirmed one
 * when it is newer still (it waits for its confirmation); on a tie
 * (Kubernetes times have second precision) the version just observed wins,
 * as it is the latest news. An unconfirmed success never supersedes a
 * confirmed one.
 */
export function supersedeAllButNewestSuccess(
  byVersion: Map<string, TargetDeployment>,
  observed: TargetDeployment | undefined,
) {
  const succeeded = [...byVersion.values()].filter(
    d => d.status === 'succeeded',
  );
  const newestOf = (list: TargetDeployment[]) =>
    list.reduce<TargetDeployment | undefined>(
      (a, b) =>
        !a ||
        at(b.finishedAt) > at(a.finishedAt) ||
        (at(b.finishedAt) === at(a.finishedAt) && b === observed)
          ? b
          : a,
      undefined,
    );
  const confirmed = newestOf(succeeded.filter(d => !d.unconfirmed));
  const pending = newestOf(succeeded.filter(d => d.unconfirmed));
  const keepPending =
    pending &&
    (!confirmed || at(pending.finishedAt) >= at(confirmed.finishedAt));
  for (const d of succeeded) {
    if (d !== confirmed && !(keepPending && d === pending)) {
      d.status = 'superseded';
    }
  }
}
