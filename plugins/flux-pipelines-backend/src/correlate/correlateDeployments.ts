import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';
import { applyOutcome, recordDuration, sameFinish } from './applyOutcome';
import { attemptedVersion } from './attemptedVersion';
import { changedDeployments } from './changedDeployments';
import {
  reinstatePrevious,
  settleOthers,
  supersedeAllButNewestSuccess,
} from './settleVersions';

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
 *   expired. A test failure corrects it within the test's duration. A test
 *   result extends the finish and duration, never the start (see
 *   {@link applyOutcome});
 * - a failure that names no version (aggregated events, legacy messages)
 *   belongs to the attempt running then (see {@link attemptedVersion}).
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
  return changedDeployments(existing, [...byVersion.values()]);
}

/** Applies one observation to a target's deployments (by version), in place. */
function apply(
  byVersion: Map<string, TargetDeployment>,
  observation: Observation,
  needsConfirmation: boolean,
): void {
  const version = attemptedVersion(byVersion.values(), observation);
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
  const wasConfirmed = SUCCESS.has(current.status) && !current.unconfirmed;
  // An event's progress in the same second as a confirmed success is older
  // news: kustomize-controller sends `Health check passed` (Progressing)
  // before Ready, and Kubernetes times have whole seconds. (The status's own
  // progress, e.g. Helm tests starting, is a new attempt.)
  const staleProgress =
    observation.outcome === 'progressing' &&
    observation.source !== 'status' &&
    wasConfirmed &&
    at(time) === at(current.updatedAt);
  const isNewer =
    !staleProgress &&
    (current.status === 'unknown' || at(time) >= at(current.updatedAt));
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
    recordDuration(current, observation);
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
