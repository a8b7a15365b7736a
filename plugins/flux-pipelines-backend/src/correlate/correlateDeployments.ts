import {
  Observation,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { at } from '../domain/time';

const FINISHED = new Set(['succeeded', 'failed', 'rolled-back', 'superseded']);
const SUCCESS = new Set(['succeeded', 'superseded']);

/** How observations are weighed as evidence. */
export interface CorrelateOptions {
  /**
   * Whether a success this observation reports stays `unconfirmed` until a
   * status observation of the same version confirms it. Default: every
   * success that does not come from the object's status.
   */
  needsConfirmation?: (observation: Observation) => boolean;
}

const fromEventsOnly = (o: Observation) => o.source !== 'status';

/**
 * Applies one observation to the deployments of its target (one Flux object
 * on one cluster, one deployment per version) and returns the deployments
 * that changed. Pure: the caller loads and stores.
 *
 * - progressing: a new attempt of that version starts;
 * - install/upgrade/test/reconcile succeeded: that version is deployed; the
 *   previously deployed one is superseded;
 * - failed: that version failed, with the message (Helm logs included);
 * - rollback succeeded: the version rolled back to is deployed again, and the
 *   newest failed or running other version is marked rolled back;
 * - test failed after install/upgrade succeeded: that version failed, and the
 *   one it superseded counts as deployed again. A success does not wait for
 *   the test result: Helm has deployed the release, and whether tests will
 *   run is not in the events or webhooks (only in the HelmRelease spec), so
 *   waiting could leave a version "progressing" for good once its test event
 *   expired. A test failure corrects it within the test's duration.
 *
 * An observation older than a deployment's last change does not move its
 * state backwards; it only fills in missing details (app version, duration).
 *
 * Evidence: a success reported only by an event is `unconfirmed` until the
 * object's status reports that version deployed (whenever that arrives). An
 * unconfirmed success never supersedes a confirmed one; it is kept beside it
 * as an observation (see {@link isConfirmedSuccess}).
 */
export function correlateDeployments(
  existing: TargetDeployment[],
  observation: Observation,
  options: CorrelateOptions = {},
): TargetDeployment[] {
  return correlateObservations(existing, [observation], options);
}

/**
 * Applies observations of one target in the given order, as
 * {@link correlateDeployments} one after the other would, and returns the
 * deployments that changed in all.
 */
export function correlateObservations(
  existing: TargetDeployment[],
  observations: Observation[],
  options: CorrelateOptions = {},
): TargetDeployment[] {
  const needsConfirmation = options.needsConfirmation ?? fromEventsOnly;
  const byVersion = new Map(existing.map(d => [d.chartVersion, { ...d }]));
  for (const observation of observations) {
    apply(byVersion, observation, needsConfirmation(observation));
  }
  return changed(existing, [...byVersion.values()]);
}

/** Applies one observation to a target's deployments (by version), in place. */
function apply(
  byVersion: Map<string, TargetDeployment>,
  observation: Observation,
  needsConfirmation: boolean,
): void {
  const version = observation.chartVersion;
  if (!version || observation.outcome === 'info') {
    return;
  }
  const time = observation.time;
  const current: TargetDeployment = byVersion.get(version) ?? {
    cluster: observation.cluster,
    namespace: observation.namespace,
    kind: observation.kind,
    name: observation.name,
    chartVersion: version,
    status: 'unknown',
    updatedAt: time,
  };
  byVersion.set(version, current);
  current.appVersion = observation.appVersion ?? current.appVersion;
  current.digest = observation.digest ?? current.digest;
  current.sourceRevision = observation.sourceRevision ?? current.sourceRevision;

  // A `status.history` entry Helm marked superseded: deployed once, no longer current.
  const supersededSnapshot =
    observation.source === 'status' &&
    observation.reason === 'ReleaseSuperseded';
  const isNewer =
    current.status === 'unknown' || at(time) >= at(current.updatedAt);
  const wasConfirmed = SUCCESS.has(current.status) && !current.unconfirmed;
  if (isNewer) {
    const wasDeployed = current.status === 'succeeded';
    applyOutcome(current, observation);
    if (
      wasDeployed &&
      observation.action === 'test' &&
      current.status === 'failed'
    ) {
      reinstatePrevious(byVersion, current, observation);
    }
    if (
      supersededSnapshot &&
      current.status === 'succeeded' &&
      // Superseded by what? When no other version counts as deployed (its
      // tests failed), this one still does.
      [...byVersion.values()].some(
        d => d !== current && d.status === 'succeeded',
      )
    ) {
      current.status = 'superseded';
    } else if (observation.outcome === 'succeeded') {
      settleOthers(byVersion, current, observation);
    }
  } else if (
    observation.durationMs !== undefined &&
    sameFinish(current, observation)
  ) {
    // The controller's recorded duration of this attempt, arriving late.
    current.durationMs = observation.durationMs;
  }
  if (observation.outcome === 'succeeded') {
    if (!needsConfirmation) {
      // The object's own status (or a source trusted without one) confirms
      // it, whether it arrives before or after the event.
      delete current.unconfirmed;
    } else if (isNewer && !wasConfirmed) {
      current.unconfirmed = true;
    }
  }
  supersedeAllButNewestSuccess(
    byVersion,
    isNewer && !supersededSnapshot ? current : undefined,
  );
}

function applyOutcome(d: TargetDeployment, o: Observation): void {
  if (o.outcome === 'progressing') {
    if (d.status === 'progressing') {
      return;
    }
    if (FINISHED.has(d.status) || !d.startedAt) {
      d.startedAt = o.time;
    }
    d.status = 'progressing';
    d.finishedAt = undefined;
    d.durationMs = undefined;
    d.message = o.message;
    d.updatedAt = o.time;
    return;
  }
  const alreadyFinished =
    d.status !== 'progressing' && d.finishedAt !== undefined;
  const status = o.outcome === 'succeeded' ? 'succeeded' : 'failed';
  const keepDuration =
    d.durationMs !== undefined &&
    ((alreadyFinished && o.action === 'test') ||
      (d.status === status && sameFinish(d, o)));
  // A status snapshot only says "Release ... is failed/deployed"; when it
  // confirms a finish already recorded from an event, keep that event's message
  // (it carries the error and the Helm logs).
  const confirmsOnly =
    o.source === 'status' && d.status === status && sameFinish(d, o);
  d.status = status;
  if (!confirmsOnly || !d.message) d.message = o.message;
  d.finishedAt = o.time;
  if (o.durationMs !== undefined) {
    d.durationMs = o.durationMs;
  } else if (keepDuration) {
    // A test result, or the same finish seen again, keeps the recorded duration.
  } else if (d.startedAt && at(d.startedAt) <= at(o.time)) {
    d.durationMs = at(o.time) - at(d.startedAt);
  }
  d.updatedAt = o.time;
}

/** Whether an observation reports the same finish (Kubernetes times have second precision). */
function sameFinish(d: TargetDeployment, o: Observation): boolean {
  return (
    d.finishedAt !== undefined &&
    Math.abs(at(d.finishedAt) - at(o.time)) <= 2000
  );
}

function settleOthers(
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
function reinstatePrevious(
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
function supersedeAllButNewestSuccess(
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

function changed(before: TargetDeployment[], after: TargetDeployment[]) {
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
