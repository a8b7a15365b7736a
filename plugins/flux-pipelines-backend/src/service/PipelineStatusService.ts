import {
  EnvironmentStatus,
  Pipeline,
  PipelineWithStatus,
  TargetDeployment,
  TargetStatus,
} from '@internal/plugin-flux-pipelines-common';
import { isDeployedNow } from '../correlate/confirmedSuccess';
import { DeploymentStore, newestFirst } from '../database/DeploymentStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { objectKey, targetKey, targetRef } from '../domain/objectKey';
import { promotableVersion } from './promotableVersion';

/**
 * Adds to pipelines what is known of each target's deployments, and which
 * version each environment could be promoted to. One read for all the
 * pipelines' targets, of each target's working set (its recent versions and
 * the deployed one, see {@link DeploymentStore.listWorkingSet}), so the cost
 * does not grow with the length of the history: the newest version that
 * succeeded on every target of an environment is among them.
 */
export class PipelineStatusService {
  constructor(private readonly deployments: DeploymentStore) {}

  /**
   * Describes the pipelines from `deployments` (what {@link workingSets}
   * read for them), or reads them first.
   */
  async describe(
    pipelines: Pipeline[],
    deployments?: TargetDeployment[],
  ): Promise<PipelineWithStatus[]> {
    const byTarget = new Map<string, TargetDeployment[]>();
    for (const d of deployments ?? (await this.workingSets(pipelines))) {
      const key = objectKey(d);
      const list = byTarget.get(key);
      if (list) list.push(d);
      else byTarget.set(key, [d]);
    }
    for (const list of byTarget.values()) list.sort(newestFirst);
    return pipelines.map(p => describeOne(p, byTarget));
  }

  /** The working sets of all the pipelines' targets, in one read. */
  async workingSets(pipelines: Pipeline[]): Promise<TargetDeployment[]> {
    const refs = new Map<string, { ref: FluxObjectRef; versions: string[] }>();
    for (const pipeline of pipelines) {
      for (const environment of pipeline.environments) {
        for (const target of environment.targets) {
          const ref = targetRef(pipeline, target);
          refs.set(objectKey(ref), { ref, versions: [] });
        }
      }
    }
    return this.deployments.listWorkingSet([...refs.values()]);
  }
}

function describeOne(
  pipeline: Pipeline,
  byTarget: Map<string, TargetDeployment[]>,
): PipelineWithStatus {
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
        deployed: list.find(isDeployedNow),
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
