import {
  ExecutionEnvironment,
  ExecutionEnvironmentState,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';

import { hasSucceeded } from '../correlate/confirmedSuccess';
import { at } from '../domain/time';

/** When a deployment began, as far as is known. */
export function firstSeen(d: TargetDeployment): string {
  return d.startedAt ?? d.finishedAt ?? d.updatedAt;
}

/**
 * Whether a version succeeded on every target (those since superseded by a
 * newer version included): `reached` has one entry per target.
 */
export function succeededEverywhere(
  reached: Array<TargetDeployment | undefined>,
): boolean {
  return reached.length > 0 && reached.every(hasSucceeded);
}

/**
 * The state of one version in one environment, from its deployments on the
 * environment's targets (`undefined` for a target it has not reached):
 * failed, rolled back or progressing on any target wins; succeeded when it
 * succeeded everywhere; superseded when a newer version replaced it
 * everywhere it went; progressing while some targets still lag behind.
 */
export function environmentState(
  reached: Array<TargetDeployment | undefined>,
): ExecutionEnvironmentState {
  const present = reached.filter((d): d is TargetDeployment => !!d);
  const has = (status: TargetDeployment['status']) =>
    present.some(d => d.status === status);
  if (!present.length) return 'pending';
  if (has('failed')) return 'failed';
  if (has('rolled-back')) return 'rolled-back';
  if (has('progressing') || has('unknown')) return 'progressing';
  if (!has('succeeded')) return 'superseded';
  return present.length === reached.length ? 'succeeded' : 'progressing';
}

/** One environment of an execution: its state, times and deployments. */
export function describeEnvironment(
  name: string,
  reached: Array<TargetDeployment | undefined>,
): ExecutionEnvironment {
  const state = environmentState(reached);
  const deployments = reached.filter((d): d is TargetDeployment => !!d);
  const environment: ExecutionEnvironment = { name, state, deployments };
  if (!deployments.length) {
    return environment;
  }
  environment.startedAt = deployments
    .map(firstSeen)
    .reduce((a, b) => (at(b) < at(a) ? b : a));
  const finished =
    state !== 'progressing' &&
    deployments.length === reached.length &&
    deployments.every(d => d.finishedAt);
  if (finished) {
    environment.finishedAt = deployments
      .map(d => d.finishedAt!)
      .reduce((a, b) => (at(b) > at(a) ? b : a));
    environment.durationMs =
      deployments.length === 1 && deployments[0].durationMs !== undefined
        ? deployments[0].durationMs
        : Math.max(0, at(environment.finishedAt) - at(environment.startedAt));
  }
  return environment;
}
