import {
  EnvironmentStatus,
  Pipeline,
  PipelineWithStatus,
  TargetDeployment,
  TargetStatus,
} from '@internal/plugin-flux-pipelines-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { targetKey } from '../executions/deriveExecutions';
import { promotableVersion } from './promotableVersion';

/**
 * Adds to pipelines what is known of each target's deployments (one query
 * per pipeline), and which version each environment could be promoted to.
 */
export class PipelineStatusService {
  constructor(private readonly deployments: DeploymentStore) {}

  async describe(pipelines: Pipeline[]): Promise<PipelineWithStatus[]> {
    return Promise.all(pipelines.map(p => this.describeOne(p)));
  }

  private async describeOne(pipeline: Pipeline): Promise<PipelineWithStatus> {
    const all = await this.deployments.listForObjects(
      pipeline.environments.flatMap(environment =>
        environment.targets.map(target => ({
          ...target,
          kind: pipeline.appRef.kind,
          name: pipeline.appRef.name,
        })),
      ),
    );
    // Newest first per object, as the store lists them.
    const byTarget = new Map<string, TargetDeployment[]>();
    for (const d of all) {
      const key = JSON.stringify([d.cluster, d.namespace, d.kind, d.name]);
      byTarget.set(key, [...(byTarget.get(key) ?? []), d]);
    }
    const deploymentsOf = (target: { cluster: string; namespace: string }) =>
      byTarget.get(targetKey(pipeline, target)) ?? [];

    const environments: EnvironmentStatus[] = [];
    let previous: TargetStatus[] | undefined;
    for (const environment of pipeline.environments) {
      const targets = environment.targets.map((target): TargetStatus => {
        const list = deploymentsOf(target);
        return {
          ...target,
          latest: list[0],
          deployed: list.find(d => d.status === 'succeeded'),
        };
      });
      const promotable = promotableVersion(previous, targets, deploymentsOf);
      environments.push({
        name: environment.name,
        targets,
        ...(promotable ? { promotable } : {}),
      });
      previous = targets;
    }
    return { ...pipeline, environments };
  }
}
