import {
  DeploymentStatus,
  PipelineExecution,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';

/**
 * The deployments an insights figure counts (`InsightsDeploymentsQuery`):
 * in an environment, with one of some statuses, finished in a period
 * (`from` inclusive, `to` exclusive). Each part is optional.
 */
export interface DeploymentFilter {
  environment?: string;
  statuses?: DeploymentStatus[];
  from?: Date;
  to?: Date;
}

function matches(d: TargetDeployment, filter: DeploymentFilter): boolean {
  if (filter.statuses && !filter.statuses.includes(d.status)) return false;
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
 * none of them.
 */
export function withDeploymentsMatching(
  execution: PipelineExecution,
  filter: DeploymentFilter,
): PipelineExecution | undefined {
  let found = false;
  const environments = execution.environments.map(environment => {
    if (filter.environment && environment.name !== filter.environment) {
      return environment;
    }
    const deployments = environment.deployments.filter(d => matches(d, filter));
    found ||= deployments.length > 0;
    return filter.environment ? { ...environment, deployments } : environment;
  });
  return found ? { ...execution, environments } : undefined;
}
