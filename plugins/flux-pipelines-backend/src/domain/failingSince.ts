import {
  ExecutionEnvironmentState,
  PipelineExecution,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/** States of a version that has not been in an environment. */
const NOT_HERE = new Set<ExecutionEnvironmentState>([
  'waiting',
  'awaiting-approval',
  'skipped',
]);

/**
 * When `environment`'s current run of failures began (see
 * `EnvironmentStatus.failingSince`), from the pipeline's executions, newest
 * first: the failed versions there, one after another, up to the first that
 * came there and did not fail; the end (else the start) of the oldest.
 * Undefined when the newest version that came there did not fail.
 */
export function failingSince(
  executions: PipelineExecution[],
  environment: string,
): string | undefined {
  let since: string | undefined;
  for (const execution of executions) {
    const here = execution.environments.find(e => e.name === environment);
    if (!here || NOT_HERE.has(here.state)) continue;
    if (here.state !== 'failed') break;
    since = here.finishedAt ?? here.startedAt ?? since;
  }
  return since;
}
