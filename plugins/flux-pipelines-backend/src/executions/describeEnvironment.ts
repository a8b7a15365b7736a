import {
  ExecutionEnvironment,
  ExecutionEnvironmentState,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';

/** When a deployment began, as far as is known. */
export function firstSeen(d: TargetDeployment): string {
  return d.startedAt ?? d.finishedAt ?? d.updatedAt;
}

/**
 * One environment of an execution: its state (see
 * {@link environmentState}), its times and its deployments.
 * `reached` has one entry per target (undefined where the version has none).
 */
export function describeEnvironment(options: {
  name: string;
  state: ExecutionEnvironmentState;
  reached: Array<TargetDeployment | undefined>;
  rolledBackTo?: string;
}): ExecutionEnvironment {
  const { name, state, reached, rolledBackTo } = options;
  const deployments = reached.filter((d): d is TargetDeployment => !!d);
  const environment: ExecutionEnvironment = { name, state, deployments };
  if (rolledBackTo) environment.rolledBackTo = rolledBackTo;
  if (!deployments.length) {
    return environment;
  }
  environment.startedAt = deployments
    .map(firstSeen)
    .reduce((a, b) => (at(b) < at(a) ? b : a));
  const finished =
    state !== 'deploying' &&
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
