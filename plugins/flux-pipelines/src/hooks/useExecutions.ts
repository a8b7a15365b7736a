import { useApi } from '@backstage/core-plugin-api';
import {
  fluxPipelinesApiRef,
  ExecutionsQuery,
  PipelineRef,
} from '../api/FluxPipelinesApi';
import { useLiveAsync } from './useLiveAsync';

/** One page of a pipeline's executions, kept current. */
export function useExecutions(pipeline: PipelineRef, query: ExecutionsQuery) {
  const api = useApi(fluxPipelinesApiRef);
  const { namespace, name } = pipeline;
  const { limit, offset, status, deployments } = query;
  // Compared by value: callers build the filter on each render.
  const filter = deployments && JSON.stringify(deployments);
  return useLiveAsync(
    () =>
      api.getExecutions(
        { namespace, name },
        { limit, offset, status, deployments },
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, namespace, name, limit, offset, status, filter],
    // after the cards above it: their reload goes first
    { leading: false },
  );
}
