import {
  Pipeline,
  PipelineExecution,
  Promotion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { succeededEverywhere } from '../correlate/confirmedSuccess';
import { describeEnvironment, firstSeen } from './describeEnvironment';
import { environmentState, executionStatus } from '../domain/executionState';
import { reinstatedByRollback, rolledBackTo } from '../domain/rollback';
import { EnvironmentDeployments, skippedEnvironments } from '../domain/skipped';
import { at } from '../domain/time';
import { objectKey, targetKey } from '../domain/objectKey';

/**
 * Every version's journey through a pipeline, newest first (by start), from
 * the deployments of the pipeline's targets and the promotions of the
 * pipeline (newest first). Pure: the caller loads them. Deployments of
 * objects that are not targets of the pipeline are ignored.
 */
export function deriveExecutions(
  pipeline: Pipeline,
  deployments: TargetDeployment[],
  promotions: Promotion[] = [],
): PipelineExecution[] {
  const byTarget = new Map<string, TargetDeployment[]>();
  for (const d of deployments) {
    const key = objectKey(d);
    byTarget.set(key, [...(byTarget.get(key) ?? []), d]);
  }
  const environments: EnvironmentDeployments[] = pipeline.environments.map(
    environment => ({
      name: environment.name,
      perTarget: environment.targets.map(
        target => byTarget.get(targetKey(pipeline, target)) ?? [],
      ),
    }),
  );
  const versions = new Set(
    environments.flatMap(e => e.perTarget.flat().map(d => d.chartVersion)),
  );
  return [...versions]
    .map(version => deriveExecution(version, environments, promotions))
    .sort(
      (a, b) =>
        at(b.startedAt) - at(a.startedAt) ||
        (a.chartVersion < b.chartVersion ? 1 : -1),
    );
}

function deriveExecution(
  version: string,
  environments: EnvironmentDeployments[],
  promotions: Promotion[],
): PipelineExecution {
  const reached = environments.map(e =>
    e.perTarget.map(list => list.find(d => d.chartVersion === version)),
  );
  const furthest = reached.findLastIndex(targets => targets.some(Boolean));
  const skipped = skippedEnvironments(environments, furthest, version);
  const described = environments.map((environment, i) => {
    const state = environmentState({
      reached: reached[i],
      promotion: promotions.find(
        p => p.version === version && p.environment === environment.name,
      ),
      skipped: skipped.includes(environment.name),
    });
    const backTo = environment.perTarget
      .map((list, t) => reached[i][t] && rolledBackTo(list, reached[i][t]!))
      .find(Boolean)?.chartVersion;
    return describeEnvironment({
      name: environment.name,
      state,
      reached: reached[i],
      ...(backTo ? { rolledBackTo: backTo } : {}),
    });
  });
  const last = reached[reached.length - 1] ?? [];
  const completed = succeededEverywhere(last);
  const all = described.flatMap(e => e.deployments);
  const execution: PipelineExecution = {
    chartVersion: version,
    status: executionStatus(
      described.map(e => e.state),
      completed,
    ),
    environments: described,
  };
  const appVersion = all.find(d => d.appVersion)?.appVersion;
  if (appVersion) execution.appVersion = appVersion;
  if (skipped.length) execution.skipped = skipped;
  // A rollback back to this version is an event of its environment: it does
  // not start this version's journey again.
  const own = environments.map((environment, i) =>
    reached[i].filter(
      (d, t): d is TargetDeployment =>
        !!d && !reinstatedByRollback(environment.perTarget[t], d),
    ),
  );
  const starts = (own[0].length ? own[0] : own.flat()).map(firstSeen);
  if (starts.length) execution.startedAt = earliest(starts);
  if (completed) {
    execution.finishedAt = (last as TargetDeployment[])
      .map(d => d.finishedAt ?? d.updatedAt)
      .reduce((a, b) => (at(b) > at(a) ? b : a));
    // Lead time only from the first environment, and only when time passed:
    // a version that skipped it, or that was found deployed everywhere at
    // once when watching began, has none (never "0s").
    const leadTimeMs = own[0].length
      ? at(execution.finishedAt) - at(earliest(own[0].map(firstSeen)))
      : NaN;
    if (leadTimeMs > 0) execution.leadTimeMs = leadTimeMs;
  }
  return execution;
}

function earliest(times: string[]): string {
  return times.reduce((a, b) => (at(b) < at(a) ? b : a));
}
