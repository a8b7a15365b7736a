import {
  DeploymentStatus,
  PipelineExecution,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { isCountedDeployment } from '../domain/countedDeployment';
import { at } from '../domain/time';
import { SUCCEEDED_STATUSES } from '../insights/insightsRules';

/**
 * The deployments an insights figure counts (`InsightsDeploymentsQuery`):
 * in an environment, with one of some statuses, finished in a period
 * (`from` inclusive, `to` exclusive). Each part is optional. Successes
 * are only those the figures count ({@link isCountedDeployment}).
 */
export interface DeploymentFilter {
  environment?: string;
  statuses?: DeploymentStatus[];
  from?: Date;
  to?: Date;
}

const SUCCESSES: readonly string[] = SUCCEEDED_STATUSES;

function matches(
  d: TargetDeployment,
  filter: DeploymentFilter,
  target: (d: TargetDeployment) => TargetDeployment[],
): boolean {
  if (filter.statuses && !filter.statuses.includes(d.status)) return false;
  const success = SUCCESSES.includes(d.status);
  if (filter.statuses && success && !isCountedDeployment(target(d), d)) {
    return false;
  }
  if (!filter.from && !filter.to) return true;
  if (!d.finishedAt) return false;
  const finished = at(d.finishedAt);
  return (
    (!filter.from || finished >= filter.from.getTime()) &&
    (!filter.to || finished < filter.to.getTime())
  );
}

/**
 * The execution with only the deployments the filter names in the
 * environment it names (others kept as they are); undefined when it has
 * none of them. `target` gives all the deployments of a deployment's target.
 */
export function withDeploymentsMatching(
  execution: PipelineExecution,
  filter: DeploymentFilter,
  target: (d: TargetDeployment) => TargetDeployment[],
): PipelineExecution | undefined {
  let found = false;
  const environments = execution.environments.map(environment => {
    if (filter.environment && environment.name !== filter.environment) {
      return environment;
    }
    const deployments = environment.deployments.filter(d =>
      matches(d, filter, target),
    );
    found ||= deployments.length > 0;
    return filter.environment ? { ...environment, deployments } : environment;
  });
  return found ? { ...execution, environments } : undefined;
}
