import { useApi } from '@backstage/core-plugin-api';
import { PipelineWithStatus } from '@flux-pipelines/plugin-flux-pipelines-common';
import { fluxPipelinesApiRef } from '../api/FluxPipelinesApi';
import { useLiveAsync } from './useLiveAsync';

/**
 * The overview (every pipeline of the fleet in one answer) reloads at most
 * this often while signals keep coming; the first change after a quiet
 * spell shows at once.
 */
export const OVERVIEW_SIGNAL_THROTTLE_MS = 2000;

/** One row of the overview: a pipeline with its environments' status. */
export interface PipelineOverview {
  pipeline: PipelineWithStatus;
}

/**
 * Every pipeline with its environments' status, kept current: one request,
 * whatever the number of pipelines (what each environment runs, how it
 * relates to the one before and since when it fails all come with it).
 */
export function usePipelinesOverview() {
  const api = useApi(fluxPipelinesApiRef);
  return useLiveAsync(
    async (): Promise<PipelineOverview[]> => {
      const pipelines = await api.listPipelines();
      return pipelines.map(pipeline => ({ pipeline }));
    },
    [api],
    { throttleMs: OVERVIEW_SIGNAL_THROTTLE_MS },
  );
}
