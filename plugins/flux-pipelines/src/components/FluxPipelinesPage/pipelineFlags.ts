import {
  ClusterHealth,
  ExecutionsResponse,
  PipelineExecution,
  PipelineWithStatus,
} from '@internal/plugin-flux-pipelines-common';
import { summarizeEnvironment } from '../shared/environmentSummary';
import { formatAge } from '../shared/formatTime';

/** Something about a pipeline worth a look on the overview. */
export type PipelineFlag =
  | {
      kind: 'behind';
      environment: string;
      upstream: string;
      /** How many newer versions run (or ran) upstream. */
      count: number;
      /** The count is a lower bound: the executions read did not reach back far enough. */
      atLeast: boolean;
    }
  | {
      kind: 'failing';
      environment: string;
      /** When the current run of failures began, when known. */
      since?: string;
    };

/** An execution that was deployed in `environment`. */
function reached(execution: PipelineExecution, environment: string): boolean {
  const state = execution.environments.find(e => e.name === environment)?.state;
  return state === 'succeeded' || state === 'superseded';
}

/**
 * The flags of a pipeline, environment by environment:
 *
 * - **behind** — an environment runs another version than the one before it.
 *   The count is the number of distinct versions that were deployed
 *   (succeeded, possibly superseded since) in the upstream environment and are
 *   newer than the version running downstream — newer meaning listed before it
 *   in the executions, which the backend sorts newest first. When the
 *   downstream version is older than every execution read, the count is a
 *   lower bound ("at least"); when executions could not be read at all, it is
 *   "at least 1". Nothing is flagged when the downstream environment is ahead.
 * - **failing** — the newest deployment of some target of the environment
 *   failed. "Since" is when the oldest failure of the current run of failed
 *   versions (newest first, until one that did not fail there) finished; it
 *   falls back to the failed deployment's own time.
 */
export function pipelineFlags(
  pipeline: PipelineWithStatus,
  executions?: ExecutionsResponse,
  unreachable: Map<string, ClusterHealth> = new Map(),
): PipelineFlag[] {
  const flags: PipelineFlag[] = [];
  const items = executions?.items ?? [];
  const summaries = pipeline.environments.map(e =>
    summarizeEnvironment(e, unreachable),
  );

  pipeline.environments.forEach((environment, index) => {
    const summary = summaries[index];
    if (summary.state === 'failed') {
      let since: string | undefined;
      for (const execution of items) {
        const state = execution.environments.find(
          e => e.name === environment.name,
        );
        if (!state || state.state === 'pending') continue;
        if (state.state !== 'failed') break;
        since = state.finishedAt ?? state.startedAt ?? since;
      }
      const deployment = summary.deployment;
      flags.push({
        kind: 'failing',
        environment: environment.name,
        since:
          since ??
          deployment?.finishedAt ??
          deployment?.startedAt ??
          deployment?.updatedAt,
      });
    }

    if (index === 0) return;
    const upstream = pipeline.environments[index - 1].name;
    const upstreamVersion = summaries[index - 1].version;
    const version = summary.version;
    if (!upstreamVersion || upstreamVersion === version) return;

    if (!executions) {
      flags.push({
        kind: 'behind',
        environment: environment.name,
        upstream,
        count: 1,
        atLeast: true,
      });
      return;
    }
    const position = version
      ? items.findIndex(e => e.chartVersion === version)
      : -1;
    const newer = position >= 0 ? items.slice(0, position) : items;
    const count = new Set(
      newer.filter(e => reached(e, upstream)).map(e => e.chartVersion),
    ).size;
    if (count > 0) {
      flags.push({
        kind: 'behind',
        environment: environment.name,
        upstream,
        count,
        atLeast: position < 0 && executions.totalCount > items.length,
      });
    }
  });
  return flags;
}

/** "prod is 3 versions behind test", "test failing for 2 days". */
export function describeFlag(flag: PipelineFlag, now = Date.now()): string {
  if (flag.kind === 'behind') {
    const versions = `${flag.count} version${flag.count === 1 ? '' : 's'}`;
    return `${flag.environment} is ${
      flag.atLeast ? 'at least ' : ''
    }${versions} behind ${flag.upstream}`;
  }
  return flag.since
    ? `${flag.environment} failing for ${formatAge(flag.since, now)}`
    : `${flag.environment} failing`;
}
