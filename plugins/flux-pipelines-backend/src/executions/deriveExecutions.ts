import {
  ExecutionEnvironment,
  ExecutionStatus,
  Pipeline,
  PipelineExecution,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import {
  describeEnvironment,
  firstSeen,
  succeededEverywhere,
} from './describeEnvironment';
import { at } from '../domain/time';
import { objectKey, targetKey } from '../domain/objectKey';

/**
 * Every version's journey through a pipeline, newest first (by start), from
 * the deployments of the pipeline's targets. Pure: the caller loads them.
 * Deployments of objects that are not targets of the pipeline are ignored.
 */
export function deriveExecutions(
  pipeline: Pipeline,
  deployments: TargetDeployment[],
): PipelineExecution[] {
  const index = new Map<string, TargetDeployment>();
  const versions = new Set<string>();
  for (const d of deployments) {
    index.set(objectKey(d, d.chartVersion), d);
    versions.add(d.chartVersion);
  }
  const executions = [...versions].map(version =>
    deriveExecution(
      version,
      pipeline.environments.map(environment => ({
        name: environment.name,
        reached: environment.targets.map(target =>
          index.get(targetKey(pipeline, target, version)),
        ),
      })),
    ),
  );
  return executions
    .filter(e => e.environments.some(env => env.state !== 'pending'))
    .sort(
      (a, b) =>
        at(b.startedAt) - at(a.startedAt) ||
        (a.chartVersion < b.chartVersion ? 1 : -1),
    );
}

function deriveExecution(
  version: string,
  environments: Array<{
    name: string;
    reached: Array<TargetDeployment | undefined>;
  }>,
): PipelineExecution {
  const described = environments.map(e =>
    describeEnvironment(e.name, e.reached),
  );
  const all = described.flatMap(e => e.deployments);
  const last = environments[environments.length - 1];
  const completed = !!last && succeededEverywhere(last.reached);
  const execution: PipelineExecution = {
    chartVersion: version,
    appVersion: all.find(d => d.appVersion)?.appVersion,
    status: completed ? 'succeeded' : unfinishedStatus(described),
    environments: described,
  };
  if (!execution.appVersion) delete execution.appVersion;

  const first = described[0]?.deployments.length ? described[0] : undefined;
  const starts = (first?.deployments ?? all).map(firstSeen);
  if (starts.length) {
    execution.startedAt = starts.reduce((a, b) => (at(b) < at(a) ? b : a));
  }
  if (completed) {
    execution.finishedAt = (last.reached as TargetDeployment[])
      .map(d => d.finishedAt ?? d.updatedAt)
      .reduce((a, b) => (at(b) > at(a) ? b : a));
    if (first && execution.startedAt) {
      execution.leadTimeMs = Math.max(
        0,
        at(execution.finishedAt) - at(execution.startedAt),
      );
    }
  }
  return execution;
}

/**
 * For a version that has not succeeded in the last environment: failed or
 * rolled back anywhere wins; else superseded when the furthest environment it
 * reached moved on to a newer version; else it is on its way.
 */
function unfinishedStatus(
  environments: ExecutionEnvironment[],
): ExecutionStatus {
  if (environments.some(e => e.state === 'failed')) return 'failed';
  if (environments.some(e => e.state === 'rolled-back')) return 'rolled-back';
  const furthest = [...environments].reverse().find(e => e.state !== 'pending');
  return furthest?.state === 'superseded' ? 'superseded' : 'progressing';
}
