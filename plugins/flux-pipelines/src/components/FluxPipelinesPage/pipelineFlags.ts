import {
  ClusterHealth,
  PipelineWithStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { summarizeEnvironment } from '../shared/environmentSummary';
import { formatAge } from '../shared/formatTime';

/** Something about a pipeline worth a look on the overview. */
export type PipelineFlag =
  | {
      /** The environment runs an older (`behind`) or newer (`ahead`) version than the one before it. */
      kind: 'behind' | 'ahead';
      environment: string;
      upstream: string;
      /** How many versions apart, as the backend counts them. */
      count: number;
    }
  | {
      /** The version the environment runs went around earlier environments. */
      kind: 'skipped';
      environment: string;
      version: string;
      skipped: string[];
    }
  | {
      kind: 'failing';
      environment: string;
      /** When the current run of failures began, when known. */
      since?: string;
    };

/**
 * The flags of a pipeline, environment by environment, from the facts the
 * backend serves (no rule of its own):
 *
 * - **behind / ahead** — the environment's `relation` to the previous one;
 * - **skipped** — the version it runs skipped earlier environments;
 * - **failing** — the newest deployment of some target of the environment
 *   failed. "Since" is the backend's `failingSince` (when the current run of
 *   failed versions there began); it falls back to the failed deployment's
 *   own time.
 */
export function pipelineFlags(
  pipeline: PipelineWithStatus,
  unreachable: Map<string, ClusterHealth> = new Map(),
): PipelineFlag[] {
  const flags: PipelineFlag[] = [];
  pipeline.environments.forEach(environment => {
    const summary = summarizeEnvironment(environment, unreachable);
    if (summary.state === 'failed') {
      const deployment = summary.deployment;
      flags.push({
        kind: 'failing',
        environment: environment.name,
        since:
          environment.failingSince ??
          deployment?.finishedAt ??
          deployment?.startedAt ??
          deployment?.updatedAt,
      });
    }
    const { relation, running, skipped } = environment;
    if (relation && relation.position !== 'same') {
      flags.push({
        kind: relation.position,
        environment: environment.name,
        upstream: relation.upstream,
        count: relation.versions,
      });
    }
    if (running && skipped?.length) {
      flags.push({
        kind: 'skipped',
        environment: environment.name,
        version: running,
        skipped,
      });
    }
  });
  return flags;
}

/** "prod is 3 versions behind test", "test is 1 version ahead of dev", "6.9.9 skipped dev", "test failing for 2 days". */
export function describeFlag(flag: PipelineFlag, now = Date.now()): string {
  if (flag.kind === 'failing') {
    return flag.since
      ? `${flag.environment} failing for ${formatAge(flag.since, now)}`
      : `${flag.environment} failing`;
  }
  if (flag.kind === 'skipped') {
    return `${flag.version} skipped ${flag.skipped.join(', ')}`;
  }
  const versions = `${flag.count} version${flag.count === 1 ? '' : 's'}`;
  return `${flag.environment} is ${versions} ${flag.kind}${
    flag.kind === 'ahead' ? ' of' : ''
  } ${flag.upstream}`;
}
