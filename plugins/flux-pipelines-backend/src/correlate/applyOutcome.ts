import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';

const FINISHED = new Set(['succeeded', 'failed', 'rolled-back', 'superseded']);

const iso = (ms: number) => new Date(ms).toISOString();

/** Whether an observation reports the same finish (Kubernetes times have second precision). */
export function sameFinish(d: TargetDeployment, o: Observation): boolean {
  return (
    d.finishedAt !== undefined &&
    Math.abs(at(d.finishedAt) - at(o.time)) <= 2000
  );
}

/**
 * Takes a finish's recorded duration (the controller's, or a status
 * snapshot's span from `lastDeployed`), and the start it implies when that is
 * the first or an earlier start known: a start never moves later.
 */
export function recordDuration(d: TargetDeployment, o: Observation): void {
  if (o.durationMs === undefined) return;
  d.durationMs = o.durationMs;
  // Recorded starts (Helm's lastDeployed) have second precision, as has the
  // finish of a status snapshot; a duration is exact: round up to the second.
  const start = Math.ceil((at(o.time) - o.durationMs) / 1000) * 1000;
  if (!d.startedAt || start < at(d.startedAt)) d.startedAt = iso(start);
}

/**
 * The newest observation of a deployment moves it to its outcome.
 *
 * Times: the start is the start of the install or upgrade (a progress
 * observation, or implied by a recorded duration) and never moves later; a
 * Helm test result after the release extends the finish and the duration
 * (tests gate success), so a test's time is never taken as a start. When no
 * start is known (events or webhooks alone, which have no "started" event),
 * a test result takes the release's own finish as the latest possible start.
 */
export function applyOutcome(d: TargetDeployment, o: Observation): void {
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
  const released =
    d.status !== 'progressing' && d.finishedAt !== undefined
      ? d.finishedAt
      : undefined;
  const status = o.outcome === 'succeeded' ? 'succeeded' : 'failed';
  // The same finish seen again (a test result after its release is a later one).
  const again =
    d.status === status &&
    sameFinish(d, o) &&
    !(o.action === 'test' && released && at(o.time) > at(released));
  // A status snapshot only says "Release ... is failed/deployed"; when it
  // confirms a finish already recorded from an event, keep that event's message
  // (it carries the error and the Helm logs).
  const confirmsOnly = o.source === 'status' && again;
  if (o.action === 'test' && released && !d.startedAt) {
    d.startedAt =
      d.durationMs !== undefined ? iso(at(released) - d.durationMs) : released;
  }
  d.status = status;
  if (!confirmsOnly || !d.message) d.message = o.message;
  d.finishedAt = o.time;
  if (o.durationMs !== undefined) {
    recordDuration(d, o);
  } else if (again && d.durationMs !== undefined) {
    // The same finish seen again keeps the recorded duration.
  } else if (d.startedAt && at(d.startedAt) <= at(o.time)) {
    d.durationMs = at(o.time) - at(d.startedAt);
  }
  d.updatedAt = o.time;
}
