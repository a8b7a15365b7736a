import {
  Pipeline,
  PipelineWithStatus,
  TargetStatus,
} from '@internal/plugin-flux-pipelines-common';
import { DeploymentStore } from '../database/DeploymentStore';

/** Adds to pipelines what is known of each target's deployments. */
export class PipelineStatusService {
  constructor(private readonly deployments: DeploymentStore) {}

  async describe(pipelines: Pipeline[]): Promise<PipelineWithStatus[]> {
    return Promise.all(pipelines.map(p => this.describeOne(p)));
  }

  private async describeOne(pipeline: Pipeline): Promise<PipelineWithStatus> {
    const environments = await Promise.all(
      pipeline.environments.map(async environment => ({
        name: environment.name,
        targets: await Promise.all(
          environment.targets.map(async (target): Promise<TargetStatus> => {
            const all = await this.deployments.listForObject({
              cluster: target.cluster,
              namespace: target.namespace,
              kind: pipeline.appRef.kind,
              name: pipeline.appRef.name,
            });
            return {
              ...target,
              latest: all[0],
              deployed: all.find(d => d.status === 'succeeded'),
            };
          }),
        ),
      })),
    );
    return { ...pipeline, environments };
  }
}
