import { useApi } from '@backstage/core-plugin-api';
import {
  ExecutionsResponse,
  PipelineWithStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { fluxPipelinesApiRef } from '../api/FluxPipelinesApi';
import { useLiveAsync } from './useLiveAsync';

/** How many recent executions per pipeline the overview reads to count skew. */
export const OVERVIEW_EXECUTIONS_LIMIT = 50;

/**
 * The overview reloads (one request per pipeline) at most this often while
 * signals keep coming; the first change after a quiet spell shows at once.
 */
export const OVERVIEW_SIGNAL_THROTTLE_MS = 2000;

/** A pipeline with its recent executions (none when they could not be read). */
export interface PipelineOverview {
  pipeline: PipelineWithStatus;
  executions?: ExecutionsResponse;
}

/**
 * Every pipeline with its recent executions, kept current. A pipeline whose
 * executions fail to load is still shown; its skew is then estimated.
 */
export function usePipelinesOverview() {
  const api = useApi(fluxPipelinesApiRef);
  return useLiveAsync(
    async (): Promise<PipelineOverview[]> => {
      const pipelines = await api.listPipelines();
      const executions = await Promise.all(
        pipelines.map(pipeline =>
          api
            .getExecutions(
              { namespace: pipeline.namespace, name: pipeline.name },
              { limit: OVERVIEW_EXECUTIONS_LIMIT },
            )
            .catch(() => undefined),
        ),
      );
      return pipelines.map((pipeline, i) => ({
        pipeline,
        executions: executions[i],
      }));
    },
    [api],
    { throttleMs: OVERVIEW_SIGNAL_THROTTLE_MS },
  );
}
