import {
  EnvironmentStatus,
  Pipeline,
  PipelineExecution,
  PipelineWithStatus,
  TargetDeployment,
  TargetStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { isDeployedNow } from '../correlate/confirmedSuccess';
import { DeploymentStore, newestFirst } from '../database/DeploymentStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { environmentActivity } from '../domain/environmentActivity';
import { failingSince } from '../domain/failingSince';
import { deriveExecutions } from '../executions/deriveExecutions';
import { latestAttempt } from '../domain/latestAttempt';
import { objectKey, targetKey, targetRef } from '../domain/objectKey';
import { relationTo } from '../domain/relation';
import { EnvironmentDeployments, skippedEnvironments } from '../domain/skipped';
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

  /**
   * The working sets of all the pipelines' targets, in one read; and, where a
   * version some environment runs is older than an earlier target's working
   * set reaches, that version on that target too (a second read, only then):
   * whether it passed through the earlier environments must not depend on how
   * many versions they deployed since.
   */
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
    const found = await this.deployments.listWorkingSet([...refs.values()]);
    const missing = missingRunningVersions(pipelines, found);
    if (!missing.length) return found;
    const more = await this.deployments.listWorkingSet(missing);
    const all = new Map(found.map(d => [objectKey(d, d.chartVersion), d]));
    for (const d of more) all.set(objectKey(d, d.chartVersion), d);
    return [...all.values()];
  }
}

/** Per target, the versions running elsewhere in its pipeline it was not read with. */
function missingRunningVersions(
  pipelines: Pipeline[],
  found: TargetDeployment[],
): Array<{ ref: FluxObjectRef; versions: string[] }> {
  const have = new Set(found.map(d => objectKey(d, d.chartVersion)));
  const missing = new Map<string, { ref: FluxObjectRef; versions: string[] }>();
  for (const pipeline of pipelines) {
    const refs = pipeline.environments.flatMap(e =>
      e.targets.map(t => targetRef(pipeline, t)),
    );
    const keys = new Set(refs.map(ref => objectKey(ref)));
    const running = new Set(
      found
        .filter(d => keys.has(objectKey(d)) && isDeployedNow(d))
        .map(d => d.chartVersion),
    );
    for (const ref of refs) {
      const versions = [...running].filter(v => !have.has(objectKey(ref, v)));
      if (!versions.length) continue;
      const entry = missing.get(objectKey(ref)) ?? { ref, versions: [] };
      entry.versions.push(...versions.filter(v => !entry.versions.includes(v)));
      missing.set(objectKey(ref), entry);
    }
  }
  return [...missing.values()];
}

function describeOne(
  pipeline: Pipeline,
  byTarget: Map<string, TargetDeployment[]>,
): PipelineWithStatus {
  const deploymentsOf = (target: { cluster: string; namespace: string }) =>
    byTarget.get(targetKey(pipeline, target)) ?? [];
  const all: EnvironmentDeployments[] = pipeline.environments.map(e => ({
    name: e.name,
    perTarget: e.targets.map(deploymentsOf),
  }));
  const environments: EnvironmentStatus[] = [];
  let previous: EnvironmentStatus | undefined;
  // Derived only for a pipeline with a failing environment.
  let executions: PipelineExecution[] | undefined;
  pipeline.environments.forEach((environment, index) => {
    const targets = environment.targets.map((target): TargetStatus => {
      const list = deploymentsOf(target);
      return {
        ...target,
        latest: latestAttempt(list),
        deployed: list.find(isDeployedNow),
      };
    });
    const promotable = promotableVersion(
      previous?.targets,
      targets,
      deploymentsOf,
    );
    const running = targets.find(t => t.deployed)?.deployed?.chartVersion;
    const relation =
      index > 0
        ? relationTo({
            upstream: all[index - 1],
            here: all[index],
            upstreamVersion: previous?.running,
            version: running,
          })
        : undefined;
    const skipped = running ? skippedEnvironments(all, index, running) : [];
    const since = targets.some(t => t.latest?.status === 'failed')
      ? failingSince(
          (executions ??= deriveExecutions(
            pipeline,
            all.flatMap(e => e.perTarget.flat()),
          )),
          environment.name,
        )
      : undefined;
    const status: EnvironmentStatus = {
      name: environment.name,
      targets,
      ...(running ? { running } : {}),
      ...(relation ? { relation } : {}),
      ...(skipped.length ? { skipped } : {}),
      ...(since ? { failingSince: since } : {}),
      ...(promotable ? { promotable } : {}),
    };
    environments.push(status);
    previous = status;
  });
  return { ...pipeline, environments };
}

/**
 * Sets what each environment is doing now (see {@link environmentActivity}),
 * once everything else about the pipelines is known (promotions included).
 */
export function withActivity(
  pipelines: PipelineWithStatus[],
): PipelineWithStatus[] {
  return pipelines.map(pipeline => ({
    ...pipeline,
    environments: pipeline.environments.map((environment, index) => ({
      ...environment,
      activity: environmentActivity(
        environment,
        pipeline.environments[index - 1],
      ),
    })),
  }));
}
