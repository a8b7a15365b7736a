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
  const { limit, offset, status } = query;
  return useLiveAsync(
    () => api.getExecutions({ namespace, name }, { limit, offset, status }),
    [api, namespace, name, limit, offset, status],
  );
}
