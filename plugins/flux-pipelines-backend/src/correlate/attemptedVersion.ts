import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';

/** Failures of these actions belong to one attempt of one version. */
const ATTEMPT_ACTIONS = new Set<Observation['action']>([
  'install',
  'upgrade',
  'test',
]);

/**
 * The version an observation that names none is about: the version the
 * object was attempting when it happened. Kubernetes aggregates repeated
 * events (`count` > 1, `(combined from similar events): ...`, an
 * events.k8s.io series) and keeps the first occurrence's annotations, or
 * none; a legacy (v2beta1) message never names the version; a webhook may
 * carry no metadata. Such a failure of an install, upgrade or test is the
 * failure of the attempt then running: the deployment that is `progressing`
 * and started at or before it (from the status's `Reconciling` condition and
 * `lastAttemptedRevision`, or a "has started" event).
 *
 * Only failures are attributed, never a success (a success must name its
 * version), and never to a guessed, older finished or newer version: with no
 * running attempt the observation stays object-level evidence, and the
 * object's status settles the version's state when it arrives.
 */
export function attemptedVersion(
  deployments: Iterable<TargetDeployment>,
  o: Observation,
): string | undefined {
  if (o.chartVersion) return o.chartVersion;
  if (o.outcome !== 'failed' || !ATTEMPT_ACTIONS.has(o.action)) {
    return undefined;
  }
  const time = at(o.time);
  let attempt: TargetDeployment | undefined;
  for (const d of deployments) {
    if (d.status !== 'progressing' || !d.startedAt) continue;
    if (at(d.startedAt) > time) continue;
    if (!attempt || at(d.startedAt) > at(attempt.startedAt)) attempt = d;
  }
  return attempt?.chartVersion;
}
